import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

// The Lua scripts in ./lua, each named <name>-<numKeys>.lua, registered once per client with
// defineCommand (EVALSHA with an automatic EVAL fallback, on real Redis and on ioredis-mock alike).

export type ScriptName = 'enqueue' | 'claim' | 'extend' | 'ack' | 'fail' | 'recover' | 'replay' | 'purge';
export type ScriptArg = string | number;
export type RunScript = (name: ScriptName, keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

interface ScriptFile {
  name: ScriptName;
  numberOfKeys: number;
  lua: string;
}

const luaDir = fileURLToPath(new URL('./lua/', import.meta.url));
let scriptFiles: ScriptFile[] | undefined;
const registered = new WeakSet<Redis>();

function readScripts(): ScriptFile[] {
  scriptFiles ??= readdirSync(luaDir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = /^([a-z]+)-(\d+)\.lua$/.exec(file);
      if (!match) throw new Error(`Lua script ${file} is not named <name>-<numKeys>.lua`);
      return {
        name: match[1] as ScriptName,
        numberOfKeys: Number(match[2]),
        lua: readFileSync(`${luaDir}${file}`, 'utf8'),
      };
    });
  return scriptFiles;
}

const commandName = (name: ScriptName): string => `day15_${name}`;

// Registers the scripts on this client (once) and returns a typed way to call them.
export function scriptRunner(redis: Redis): RunScript {
  const files = readScripts();
  if (!registered.has(redis)) {
    for (const file of files) {
      redis.defineCommand(commandName(file.name), { numberOfKeys: file.numberOfKeys, lua: file.lua });
    }
    registered.add(redis);
  }
  const expectedKeys = new Map(files.map((file) => [file.name, file.numberOfKeys]));
  const commands = redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>;
  return (name, keys, args) => {
    if (expectedKeys.get(name) !== keys.length) {
      throw new TypeError(`Script ${name} takes ${expectedKeys.get(name)} keys, got ${keys.length}`);
    }
    const command = commands[commandName(name)];
    if (!command) throw new TypeError(`Script ${name} is not registered`);
    return command.call(redis, ...keys, ...args);
  };
}
