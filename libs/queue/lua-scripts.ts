import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './redis-client.js';
import type { QueueKeys } from './queue-keys.js';
import { withReplyCodes } from './script-replies.js';

// The Lua scripts in ./lua, each named <name>-<numKeys>.lua, registered once per client with
// defineCommand (EVALSHA with an automatic EVAL fallback, on real Redis and on ioredis-mock alike).
//
// Loading the scripts (once per process, on the first queue) assembles each one's text:
// - includes, the way bullmq's script loader does them: a line `--- @include "includes/<name>"` is replaced
//   by the text of ./lua/includes/<name>.lua. Paths are relative to the including file, so an include
//   names a sibling as "<name>". A script gets each include once: one file naming the same include twice
//   is an error, a second copy reached through another include is dropped. A missing, circular or
//   malformed include fails the load with a message naming the file. Includes are not scripts.
// - comments and blank lines are dropped, and so are the include functions the script never calls:
//   ioredis-mock compiles a script on every call (Redis once), and pays for every line.
// - each V.<code> becomes the value of <code> in the script's row of replyCodes (script-replies.ts).
// The files stay the documentation: headers with KEYS, ARGV and replies, checked by lua-scripts.test.ts.
//
// Build: the compiled queue reads ./lua and ./lua/includes next to it, so both folders' *.lua files must be
// copied to dist (the build script's cp).

/** The keys each script takes, in KEYS order, as QueueKeys fields: the one list callers pass them from. */
export const scriptKeys = {
  enqueue: ['ready', 'counters', 'intake'],
  claim: ['ready', 'inFlight', 'delayed', 'fence'],
  extend: ['inFlight'],
  ack: ['inFlight', 'counters', 'generation', 'sequence', 'outbox'],
  fail: ['inFlight', 'delayed', 'dead', 'counters', 'outbox'],
  recover: ['inFlight', 'ready', 'dead', 'counters', 'outbox'],
  replay: ['dead', 'ready', 'counters'],
  purge: ['dead', 'counters'],
  generation: ['generation', 'sequence'],
  backfill: ['generation'],
} as const satisfies Record<string, readonly QueueKeyName[]>;

type QueueKeyName = { [K in keyof QueueKeys]: QueueKeys[K] extends string ? K : never }[keyof QueueKeys];
export type ScriptName = keyof typeof scriptKeys;
export type ScriptArg = string | number;
/** Runs a script on one queue: its keys (scriptKeys) and the key base (ARGV[1]) go first, then `args`. */
export type RunScript = (name: ScriptName, args: readonly ScriptArg[]) => Promise<unknown>;

export interface ScriptFile {
  name: ScriptName;
  numberOfKeys: number;
  /** The text sent to Redis: includes resolved, reply codes in front. */
  lua: string;
}

export const luaDir = fileURLToPath(new URL('./lua/', import.meta.url));
const scriptFileName = /^([a-z]+)-(\d+)\.lua$/;

let scriptFiles: ScriptFile[] | undefined;
const registered = new WeakSet<RedisClient>();

/** Reads, checks and assembles every script in `dir` (default ./lua). */
export function loadScripts(dir = luaDir): ScriptFile[] {
  const files = readdirSync(dir, { withFileTypes: true }).filter(
    (entry) => entry.isFile() && entry.name.endsWith('.lua'),
  );
  const scripts = files.map(({ name: file }) => {
    const match = scriptFileName.exec(file);
    if (!match) throw new Error(`Lua script ${file} is not named <name>-<numKeys>.lua`);
    const name = match[1] as ScriptName;
    const numberOfKeys = Number(match[2]);
    if (!Object.hasOwn(scriptKeys, name)) throw new Error(`Lua script ${file}: no script "${name}" in scriptKeys`);
    if (scriptKeys[name].length !== numberOfKeys) {
      throw new Error(
        `Lua script ${file} takes ${numberOfKeys} keys, scriptKeys.${name} lists ${scriptKeys[name].length}`,
      );
    }
    const path = join(dir, file);
    const lua = withoutUnusedFunctions(withIncludes(readFileSync(path, 'utf8'), path, join(dir, 'includes')));
    return { name, numberOfKeys, lua: withReplyCodes(name, lua, file) };
  });
  const missing = Object.keys(scriptKeys).filter((name) => !scripts.some((script) => script.name === name));
  if (missing.length > 0) throw new Error(`No Lua script for ${missing.join(', ')} in ${dir}`);
  return scripts;
}

/** `text` (of the file at `path`) with its include lines replaced by the includes' text, found in includesDir. */
export function withIncludes(
  text: string,
  path: string,
  includesDir: string,
  included = new Set<string>(),
  chain: string[] = [],
): string {
  const named = new Set<string>();
  const where = (file: string) => relative(dirname(includesDir), file);
  const malformed = /^.*@include.*$/m.exec(text.replace(/^--- @include "[a-z0-9/-]+"$/gm, ''));
  if (malformed)
    throw new Error(`${where(path)}: malformed include line "${malformed[0]}": write --- @include "includes/<name>"`);
  return compact(text)
    .replace(/^--- @include "([a-z0-9/-]+)"$/gm, (_line, reference: string) => {
      const target = resolve(dirname(path), `${reference}.lua`);
      if (!target.startsWith(includesDir + sep))
        throw new Error(`${where(path)}: include "${reference}" is outside ${where(includesDir)}/`);
      if (named.has(target)) throw new Error(`${where(path)} includes "${reference}" twice`);
      named.add(target);
      if (target === path || chain.includes(target)) {
        throw new Error(
          `${where(path)}: circular include "${reference}" (${[...chain, path, target].map(where).join(' -> ')})`,
        );
      }
      if (included.has(target)) return '';
      if (!existsSync(target))
        throw new Error(`${where(path)}: include "${reference}" not found (no ${where(target)})`);
      included.add(target);
      return withIncludes(readFileSync(target, 'utf8'), target, includesDir, included, [...chain, path]);
    })
    .replace(/\n{2,}/g, '\n');
}

// The code without what only people read: the leading --[[ ]] header, comment lines and blank lines (less
// for Redis to load and for ioredis-mock, which compiles a script on every call, to parse). The scripts
// use no long strings, so no line of a string is taken for a comment; lua-scripts.test.ts checks that.
function compact(text: string): string {
  return text
    .replace(/^--\[\[[\s\S]*?\]\]\n/, '')
    .split('\n')
    .filter((line) => line.startsWith('--- @include') || !/^\s*(--(?!\[)|$)/.test(line))
    .join('\n');
}

// `text` without the functions it never calls, so a script compiles only the parts of its includes it uses
// (ioredis-mock compiles a script on every call). Top-level functions are written as includes write them:
// `local function name(` at the start of a line, ending on that line or at the next line that is `end`.
function withoutUnusedFunctions(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const name = /^local function ([A-Za-z_]\w*)\(/.exec(lines[i] ?? '')?.[1];
    if (name === undefined) continue;
    let end = i;
    if (!/\bend$/.test(lines[i] ?? '')) while (end < lines.length - 1 && lines[end] !== 'end') end += 1;
    const rest = [...lines.slice(0, i), ...lines.slice(end + 1)].join('\n');
    if (!new RegExp(`\\b${name}\\b`).test(rest)) lines.splice(i, end + 1 - i);
  }
  return lines.join('\n');
}

function readScripts(): ScriptFile[] {
  scriptFiles ??= loadScripts();
  return scriptFiles;
}

const commandName = (name: ScriptName): string => `day15_${name}`;

/** Registers the scripts on this client (once) and returns a typed way to call them for one queue. */
export function scriptRunner(redis: RedisClient, keys: QueueKeys): RunScript {
  if (!registered.has(redis)) {
    for (const file of readScripts()) {
      redis.defineCommand(commandName(file.name), { numberOfKeys: file.numberOfKeys, lua: file.lua });
    }
    registered.add(redis);
  }
  const keysOf = Object.fromEntries(
    Object.entries(scriptKeys).map(([name, names]) => [name, names.map((key) => keys[key])]),
  ) as Record<ScriptName, string[]>;
  const commands = redis as unknown as Record<string, (...args: ScriptArg[]) => Promise<unknown>>;
  return (name, args) => {
    const command = commands[commandName(name)];
    if (!command) throw new TypeError(`Script ${name} is not registered`);
    return command.call(redis, ...keysOf[name], keys.base, ...args);
  };
}
