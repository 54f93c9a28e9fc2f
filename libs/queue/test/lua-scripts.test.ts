import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { effectOps, encodeEffects, type Effect } from '../effects.js';
import { loadScripts, luaDir, scriptKeys, scriptRunner, withIncludes, type ScriptName } from '../lua-scripts.js';
import { queueKeys, type QueueKeys } from '../queue-keys.js';
import { decodeAck, decodeEnqueue, decodeExtend, decodeFail, replyCodes, withReplyCodes } from '../script-replies.js';
import { uniquePrefix, withBackends } from '../../../test/support/backends.js';

// The scripts' contracts, read from the files: what the headers document, what the TypeScript side passes
// and decodes, and how the includes fit together. Ends with the one check that needs a Lua interpreter:
// the Lua and TypeScript key builders agree, on both backends.

const includesDir = join(luaDir, 'includes');
const read = (path: string) => readFileSync(path, 'utf8');
const scriptFiles = readdirSync(luaDir)
  .filter((file) => file.endsWith('.lua'))
  .sort();
const includeFiles = readdirSync(includesDir)
  .filter((file) => file.endsWith('.lua'))
  .sort();
const allLua = [
  ...scriptFiles.map((file) => ({ file, text: read(join(luaDir, file)) })),
  ...includeFiles.map((file) => ({ file: `includes/${file}`, text: read(join(includesDir, file)) })),
];

function script(file: string): { name: ScriptName; numberOfKeys: number; header: string; code: string } {
  const [, name, keys] = /^([a-z]+)-(\d+)\.lua$/.exec(file) ?? [];
  const text = read(join(luaDir, file));
  const header = /^--\[\[\n([\s\S]*?)\n\]\]\n/.exec(text)?.[1];
  if (!name || !keys || header === undefined)
    throw new Error(`${file}: not <name>-<numKeys>.lua with a --[[ ]] header`);
  return { name: name as ScriptName, numberOfKeys: Number(keys), header, code: codeOf(text) };
}

// The code without the header and without comments (the scripts have no '--' inside strings).
function codeOf(text: string): string {
  return text.replace(/^--\[\[[\s\S]*?\]\]\n/, '').replace(/--.*$/gm, '');
}

// How each script header names the queue's keys.
const keyDescriptions: Record<(typeof scriptKeys)[ScriptName][number], string> = {
  ready: 'ready list',
  inFlight: 'in-flight sorted set',
  delayed: 'delayed sorted set',
  dead: 'dead-letter sorted set',
  fence: 'fencing token counter',
  counters: 'counters hash',
  intake: 'intake hash',
  generation: 'generation hash',
  sequence: 'sequence counter',
  outbox: 'outbox hash',
};

describe('Lua scripts, as written in lua/', () => {
  it('are one file per script of scriptKeys, named <name>-<numKeys>.lua; the includes are not scripts', () => {
    expect(scriptFiles.map((file) => script(file).name).sort()).toEqual(Object.keys(scriptKeys).sort());
    expect(includeFiles.length).toBeGreaterThan(0);
    expect(
      loadScripts()
        .map((loaded) => loaded.name)
        .sort(),
    ).toEqual(Object.keys(scriptKeys).sort());
  });

  it.each(scriptFiles)('%s documents KEYS[1..n] for the n in its name, which its TypeScript caller passes', (file) => {
    const { name, numberOfKeys, header, code } = script(file);
    const documented = [...header.matchAll(/^KEYS\[(\d+)\] +(.+)$/gm)];
    expect(documented.map((match) => Number(match[1]))).toEqual(Array.from({ length: numberOfKeys }, (_, i) => i + 1));
    // Callers pass scriptKeys[name] (see the runner test below), in this order.
    expect(scriptKeys[name]).toHaveLength(numberOfKeys);
    documented.forEach((match, i) => expect(match[2]).toMatch(new RegExp(`^${keyDescriptions[scriptKeys[name][i]!]}`)));
    const used = [...code.matchAll(/KEYS\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(used.every((index) => index >= 1 && index <= numberOfKeys)).toBe(true);
    expect(header).toMatch(/^ARGV\[1\] +key base \(includes\/keys\.lua/m);
    expect(header).toMatch(/^Returns /m);
  });

  it.each(scriptFiles)('%s answers with the codes of its row of replyCodes, by name', (file) => {
    const { name, header, code } = script(file);
    const row = Object.keys(replyCodes[name]).sort();
    expect([...new Set([...code.matchAll(/\bV\.(\w+)/g)].map((match) => match[1]))].sort()).toEqual(row);
    // The header's "Returns" names the same codes.
    expect([...new Set([...header.matchAll(/\bV\.(\w+)/g)].map((match) => match[1]))].sort()).toEqual(row);
    if (row.length > 0) {
      // No verdict written as a bare number next to the named ones.
      expect(code).not.toMatch(/\]\s*=\s*-?\d+\s*$/m);
      expect(code).not.toMatch(/return\s*\{\s*-?\d/);
    }
  });

  it('has reply codes that fit their replies: digits per event, one-character markers, Lua names', () => {
    for (const row of Object.values(replyCodes)) {
      for (const [code, value] of Object.entries(row)) {
        expect(code).toMatch(/^[A-Za-z_]\w*$/);
        if (typeof value === 'number') expect(Number.isInteger(value) && value >= -9 && value <= 9).toBe(true);
        else expect(value).toMatch(/^[^0-9]$/);
      }
    }
    // Per-event codes of one script are distinct digits, so a reply decodes one way.
    for (const name of ['extend', 'fail'] as const) {
      const codes = Object.values(replyCodes[name]);
      expect(new Set(codes).size).toBe(codes.length);
    }
    expect(replyCodes.enqueue.accepted).not.toBe(replyCodes.enqueue.duplicate);
    expect(replyCodes.ack.held).not.toBe(replyCodes.ack.lost);
  });

  it('include only files that exist in lua/includes/, and every include is used', () => {
    const used = new Set<string>();
    for (const { file, text } of allLua) {
      const base = file.startsWith('includes/') ? 'includes/' : '';
      for (const [line, reference] of text.matchAll(/^--- @include "([^"]+)"$/gm)) {
        const target = `${base}${reference}.lua`;
        expect({ file, line, exists: includeFiles.map((name) => `includes/${name}`).includes(target) }).toEqual({
          file,
          line,
          exists: true,
        });
        used.add(target);
      }
      // Every mention of @include is such a line.
      expect(text.match(/@include/g)?.length ?? 0).toBe(text.match(/^--- @include "[^"]+"$/gm)?.length ?? 0);
    }
    expect([...used].sort()).toEqual(includeFiles.map((name) => `includes/${name}`));
  });

  it('build event keys only in includes/keys.lua and check leases only with leaseHeld (includes/lease.lua)', () => {
    for (const { file, text } of allLua) {
      const code = codeOf(text);
      if (file !== 'includes/keys.lua') {
        expect({ file, builds: /'ev:'|'seen:'|\bbase\b/.test(code) }).toEqual({ file, builds: false });
      }
      if (file !== 'includes/lease.lua') {
        expect({ file, checks: /HMGET[^\n]*'owner'|==\s*owner\b/.test(code) }).toEqual({ file, checks: false });
      }
    }
    for (const file of ['ack-5.lua', 'extend-1.lua', 'fail-5.lua']) expect(script(file).code).toMatch(/\bleaseHeld\(/);
  });

  it('use no long strings or block comments besides the header, so the loader may drop comment lines', () => {
    for (const { file, text } of allLua) {
      expect({ file, long: /\[=*\[/.test(text.replace(/^--\[\[[\s\S]*?\]\]\n/, '')) }).toEqual({ file, long: false });
    }
  });
});

describe('reply decoding', () => {
  it('reads replies with the codes of replyCodes', () => {
    const { ack, enqueue, extend, fail } = replyCodes;
    expect(decodeFail(`${fail.lost}${fail.retry}${fail.dead}`)).toEqual(['lost', 'retry', 'dead']);
    expect(decodeExtend(`${extend.extended}${extend.lost}`)).toEqual([true, false]);
    expect(decodeAck(`${ack.held}${ack.held}`)).toEqual({ applied: true });
    expect(decodeAck(`${ack.noneApplied}${ack.held}${ack.lost}`)).toEqual({ applied: false, held: [true, false] });
    expect(decodeAck(`${ack.held}${ack.held}:41`)).toEqual({ applied: true, firstSeq: 41 });
    expect(decodeAck(`${ack.stale}3:4`)).toEqual({ applied: false, generationState: '3:4' });
    expect(decodeEnqueue([enqueue.ok, `${enqueue.accepted}${enqueue.duplicate}`])).toEqual({
      full: false,
      verdicts: ['accepted', 'duplicate'],
    });
    expect(decodeEnqueue([enqueue.full, 7])).toEqual({ full: true, depth: 7 });
  });
});

describe('the effect encoding', () => {
  const interpreter = codeOf(read(join(includesDir, 'apply-effects.lua')));

  it('is interpreted by includes/apply-effects.lua op for op, reading the arguments effectOps counts', () => {
    const branches = [...interpreter.matchAll(/name == '(\w+)' then\n([\s\S]*?)\n {2}(?:elseif|end)/g)];
    expect(branches.map((branch) => branch[1]).sort()).toEqual(Object.keys(effectOps).sort());
    for (const [, op, body] of branches) {
      if (op === 'contribution') {
        expect(body).toMatch(/return contribution\(i \+ 1\)/);
        expect(interpreter).toMatch(new RegExp(`local nextOp = i \\+ ${effectOps.contribution} \\+ 2 \\* nFields`));
      } else if (op === 'zmax') {
        expect(body).toMatch(/return zmax\(i \+ 1\)/);
        expect(interpreter).toMatch(new RegExp(`return i \\+ ${effectOps.zmax} \\+ n\n`));
      } else {
        expect({ op, next: /return i \+ (\d+)/.exec(body ?? '')?.[1] }).toEqual({
          op,
          next: String(1 + effectOps[op as keyof typeof effectOps]),
        });
      }
    }
  });

  it('is written by encodeEffects as each op and the number of arguments effectOps gives it', () => {
    const samples: Effect[] = [
      { op: 'hincrby', key: 'k', field: 'f', by: 1 },
      { op: 'hincrbyfloat', key: 'k', field: 'f', by: 0.5 },
      { op: 'sadd', key: 's', member: 'm' },
      { op: 'expire', key: 's', seconds: 60 },
      { op: 'zmax', key: 'z', score: 3, members: ['m1', 'm2'] },
      { op: 'ztrimbelow', key: 'z', score: 1 },
      {
        op: 'contribution',
        key: 'e',
        version: 1,
        live: true,
        totalsKey: 't',
        valueField: 'v',
        liveField: 'l',
        endField: 'x',
        orphanField: 'o',
        byGroupKey: 'g',
        fields: { a: '1', b: '2' },
      },
    ];
    expect(samples.map((sample) => sample.op).sort()).toEqual(Object.keys(effectOps).sort());
    for (const sample of samples) {
      const extra =
        sample.op === 'contribution'
          ? 2 * Object.keys(sample.fields ?? {}).length
          : sample.op === 'zmax'
            ? sample.members.length
            : 0;
      expect(encodeEffects([sample])).toHaveLength(1 + effectOps[sample.op] + extra);
    }
  });
});

describe('the script loader', () => {
  let dir: string;
  const write = (path: string, text: string) => writeFileSync(join(dir, path), text);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'day15-lua-'));
    mkdirSync(join(dir, 'includes'));
    write('includes/a.lua', '--[[\nhow a works\n]]\n--- @include "b"\nlocal function a() return b() end\n');
    write('includes/b.lua', '-- b\nlocal function b() return 1 end\n');
    write('includes/loop.lua', '--- @include "loop2"\n');
    write('includes/loop2.lua', '--- @include "loop"\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const expand = (text: string) => withIncludes(text, join(dir, 'test-0.lua'), join(dir, 'includes'));

  it('puts each include in once, its header and comments left out, even when reached twice', () => {
    expect(expand('--- @include "includes/b"\n--- @include "includes/a"\nreturn a()\n')).toBe(
      'local function b() return 1 end\nlocal function a() return b() end\nreturn a()',
    );
  });

  it('fails the load with the file and the include named: missing, named twice, circular, malformed', () => {
    write('purge-2.lua', '--- @include "includes/nope"\n');
    expect(() => loadScripts(dir)).toThrow('purge-2.lua: include "includes/nope" not found (no includes/nope.lua)');
    expect(() => expand('--- @include "includes/b"\n--- @include "includes/b"\n')).toThrow(
      'test-0.lua includes "includes/b" twice',
    );
    expect(() => expand('--- @include "includes/loop"\n')).toThrow(
      /circular include "loop" \(test-0\.lua -> includes\/loop\.lua -> includes\/loop2\.lua -> includes\/loop\.lua\)/,
    );
    expect(() => expand('-- @include "includes/b"\n')).toThrow(
      /test-0\.lua: malformed include line "-- @include "includes\/b""/,
    );
    expect(() => expand('--- @include "b"\n')).toThrow('test-0.lua: include "b" is outside includes/');
  });

  it('refuses a script file whose key count disagrees with scriptKeys, and a reply code not in replyCodes', () => {
    rmSync(join(dir, 'purge-2.lua'));
    write('purge-3.lua', 'return 0\n');
    expect(() => loadScripts(dir)).toThrow('Lua script purge-3.lua takes 3 keys, scriptKeys.purge lists 2');
    rmSync(join(dir, 'purge-3.lua'));
    expect(() => withReplyCodes('ack', 'return V.nope', 'ack-5.lua')).toThrow(
      'Lua script ack-5.lua uses V.nope, which replyCodes.ack does not define',
    );
    expect(withReplyCodes('enqueue', 'return {V.full, V.ok}', 'enqueue-3.lua')).toBe('return {(-1), 1}');
    expect(withReplyCodes('ack', 'return V.noneApplied .. x', 'ack-5.lua')).toBe('return "-" .. x');
  });

  it('assembles every script: includes in, comments out, codes in place, only the functions it calls', () => {
    for (const { name, lua } of loadScripts()) {
      expect(lua).not.toMatch(/@include|\bV\.|^\s*--/m);
      expect(lua.match(/^local base = ARGV\[1\]$/gm)).toHaveLength(1);
      // Each include once; a script that builds no event key (generation, backfill) has no eventKey left.
      expect((lua.match(/^local function eventKey\(/gm) ?? []).length).toBe(/\beventKey\(/.test(lua) ? 1 : 0);
      for (const [, fn] of lua.matchAll(/^local function (\w+)\(/gm)) {
        expect({ name, fn, calls: lua.split(new RegExp(`\\b${fn}\\(`)).length - 2 }).not.toEqual({
          name,
          fn,
          calls: 0,
        });
      }
    }
  });

  it('runs each script with the keys scriptKeys lists, in order, then the key base', async () => {
    const keys = queueKeys('day15');
    const calls: { name: string; numberOfKeys: number; args: unknown[] }[] = [];
    const fake = {
      defineCommand(name: string, { numberOfKeys }: { numberOfKeys: number }) {
        (this as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) =>
          calls.push({ name, numberOfKeys, args });
      },
    };
    const run = scriptRunner(fake as unknown as Redis, keys);
    for (const name of Object.keys(scriptKeys) as ScriptName[]) await run(name, ['x', 1]);
    expect(calls.map(({ name, numberOfKeys, args }) => ({ name, numberOfKeys, args }))).toEqual(
      (Object.keys(scriptKeys) as ScriptName[]).map((name) => ({
        name: `day15_${name}`,
        numberOfKeys: scriptKeys[name].length,
        args: [...scriptKeys[name].map((key) => keys[key]), keys.base, 'x', 1],
      })),
    );
  });
});

withBackends('key builders', (backend) => {
  let keys: QueueKeys;
  beforeAll(() => {
    keys = queueKeys(uniquePrefix(), 'events');
  });

  it('give the same keys in Lua (includes/keys.lua) and TypeScript (queue-keys.ts)', async () => {
    const lua = withIncludes(
      '--- @include "includes/keys"\nreturn {eventKey(ARGV[2]), seenKey(ARGV[2]), dataKey(ARGV[2])}\n',
      join(luaDir, 'keys-check.lua'),
      includesDir,
    );
    for (const id of ['e1', 'evt_01HZX-9.a', 'a:b{c}d', '']) {
      expect(await backend.redis.eval(lua, 0, keys.base, id)).toEqual([keys.event(id), keys.seen(id), keys.data(id)]);
    }
  });
});
