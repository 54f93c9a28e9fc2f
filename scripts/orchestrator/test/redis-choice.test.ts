import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../libs/config/index.js';
import { chooseRedis, choiceEnv, type RedisProbes } from '../redis-choice.js';

const noFile = join(tmpdir(), 'day15-no-such-file.env');

// A machine as the test describes it; a probe the choice must not depend on throws.
function machine({ redisServer, portFree }: { redisServer?: boolean; portFree?: boolean }): RedisProbes {
  const unasked = (what: string) => () => {
    throw new Error(`asked ${what}`);
  };
  return {
    redisServerOnPath: redisServer === undefined ? unasked('for redis-server') : () => redisServer,
    localPortFree: portFree === undefined ? unasked('whether the port is free') : async () => portFree,
  };
}

const choose = (env: Record<string, string>, probes: RedisProbes) =>
  chooseRedis(loadConfig({ env, envFile: noFile }).redis, probes);

describe('chooseRedis (DAY15_REDIS_EMBEDDED, auto resolved)', () => {
  it('auto with nothing chosen: an embedded redis-server when it is on PATH and its port is free', async () => {
    expect(await choose({}, machine({ redisServer: true, portFree: true }))).toEqual({
      kind: 'embedded',
      why: expect.stringMatching(/^redis-server found on PATH .*set DAY15_USE_MOCK_REDIS=true for the in-memory mode/),
    });
  });

  it('auto without redis-server on PATH: the in-memory mode, saying how to get Redis', async () => {
    expect(await choose({}, machine({ redisServer: false }))).toEqual({
      kind: 'memory',
      why: expect.stringMatching(
        /^redis-server not found on PATH; install it \(apt-get install -y redis-server\).*DAY15_USE_MOCK_REDIS=false/,
      ),
    });
  });

  it("auto with the port taken (say the machine's own Redis): the in-memory mode, naming the port", async () => {
    expect(await choose({ DAY15_REDIS_PORT: '6390' }, machine({ redisServer: true, portFree: false }))).toEqual({
      kind: 'memory',
      why: expect.stringContaining('127.0.0.1:6390 is taken'),
    });
  });

  it.each([
    [{ DAY15_USE_MOCK_REDIS: 'true' }, 'memory', 'DAY15_USE_MOCK_REDIS=true'],
    [{ DAY15_USE_MOCK_REDIS: 'false' }, 'external', 'DAY15_USE_MOCK_REDIS=false'],
    [{ DAY15_REDIS_URL: 'redis://10.0.0.5:6379' }, 'memory', 'DAY15_REDIS_URL is set'],
    [{ DAY15_REDIS_EMBEDDED: 'false' }, 'memory', 'DAY15_REDIS_EMBEDDED=false (not auto)'],
    [{ DAY15_REDIS_EMBEDDED: 'true' }, 'memory', 'DAY15_REDIS_EMBEDDED=true (not auto)'],
  ])('a Redis chosen otherwise (%j) wins over auto, without looking at the machine: %s', async (env, kind, why) => {
    expect(await choose(env, machine({}))).toEqual({ kind, why: expect.stringContaining(why) });
  });

  describe('DAY15_REDIS_EMBEDDED=true with DAY15_USE_MOCK_REDIS=false', () => {
    const asked = { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'true', DAY15_REDIS_PORT: '6390' };

    it('is the embedded server when it can run', async () => {
      expect(await choose(asked, machine({ redisServer: true, portFree: true }))).toMatchObject({ kind: 'embedded' });
    });

    it.each([
      [{}, { redisServer: false }, 'DAY15_REDIS_EMBEDDED=true but redis-server is not installed'],
      [{}, { redisServer: true, portFree: false }, '127.0.0.1:6390 is taken (address already in use)'],
      [{ DAY15_REDIS_URL: 'redis://a:1' }, {}, 'DAY15_REDIS_EMBEDDED=true cannot be used with DAY15_REDIS_URL'],
    ])('is refused, saying why, when it cannot run (%j on %j)', async (env, found, problem) => {
      expect(await choose({ ...asked, ...env }, machine(found))).toEqual({
        kind: 'refused',
        problem: expect.stringContaining(problem),
        hint: expect.any(String),
      });
    });
  });
});

describe('choiceEnv', () => {
  it('spells out the choice for the children, which resolve nothing themselves', () => {
    expect(choiceEnv('memory')).toEqual({ DAY15_USE_MOCK_REDIS: 'true', DAY15_REDIS_EMBEDDED: 'false' });
    expect(choiceEnv('external')).toEqual({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_EMBEDDED: 'false' });
    expect(choiceEnv('embedded')).toEqual({
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_EMBEDDED: 'true',
      DAY15_REDIS_HOST: '127.0.0.1',
    });
  });
});
