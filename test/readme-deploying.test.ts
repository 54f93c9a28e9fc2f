import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { durabilityWarnings } from '../libs/queue/index.js';
import { killAppProcesses, startAppProcess } from '../tools/app-process.js';
import { startRedisServer, type RedisServer } from '../tools/redis-server.js';
import { codeBlocks, section } from './support/readme.js';
import { promtool } from './support/promtool.js';

const run = promisify(execFile);
const deploying = section('Deploying');
const token = 'readme-deploying-ops-token';

/** Runs a README block in bash with DAY15_OPS_TOKEN exported, as the section assumes; returns its stdout. */
async function bash(block: string): Promise<string> {
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], {
    env: { ...process.env, DAY15_OPS_TOKEN: token },
  });
  return stdout;
}

/**
 * The output a block documents: its full-line `# ` comments, in order, `...` standing for any text. Each must
 * match an output line, in that order (lines in between are allowed: a comment may skip output).
 */
function expectDocumentedOutput(block: string, output: string): void {
  const documented = block
    .split('\n')
    .filter((line) => line.startsWith('# '))
    .map((line) => line.slice(2));
  const lines = output.split('\n');
  let next = 0;
  for (const expected of documented) {
    const pattern = new RegExp(`^${expected.split('...').map(escapeRegExp).join('.*')}$`);
    const found = lines.findIndex((line, i) => i >= next && pattern.test(line));
    if (found < 0) throw new Error(`No output line matching "${expected}" (in order) in:\n${output}`);
    next = found + 1;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The one bash block of the section that contains `marker`. */
function blockWith(marker: string): string {
  const blocks = codeBlocks(deploying, 'bash').filter((block) => block.includes(marker));
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

describe('README "Deploying" runs as written', () => {
  it('has only commands this file runs (each bash block below is claimed by exactly one test)', () => {
    const claimed = ['openssl rand', 'Authorization: Bearer', 'livez', 'npm ci --omit=dev', 'redis-cli', 'promtool'];
    for (const block of codeBlocks(deploying, 'bash')) {
      expect([block, claimed.filter((marker) => block.includes(marker)).length]).toEqual([block, 1]);
    }
  });

  it('suggests a token generator that prints a valid DAY15_OPS_TOKEN', async () => {
    const block = blockWith('openssl rand');
    const output = await bash(block);
    expectDocumentedOutput(block, output);
    expect(output.trim()).toMatch(/^[0-9a-f]{48}$/);
  });

  describe('against a receiver with the ops listener on 0.0.0.0 behind DAY15_OPS_TOKEN', () => {
    const ports = { ingest: '', ops: '' };
    beforeAll(async () => {
      const receiver = startAppProcess('apps/receiver/main.ts', {
        DAY15_WEBHOOK_PORT: '0',
        DAY15_OPS_HOST: '0.0.0.0',
        DAY15_OPS_TOKEN: token,
      });
      [, ports.ingest = ''] = await receiver.waitForLine(/Receiver listening on http:\/\/[^\s:]+:(\d+)/, 60_000);
      [, ports.ops = ''] = await receiver.waitForLine(/Ops listening on http:\/\/[^\s:]+:(\d+)/, 60_000);
    }, 90_000);
    afterAll(killAppProcesses);

    const onTheseListeners = (block: string) =>
      block.replaceAll(':5016', `:${ports.ops}`).replaceAll(':5015', `:${ports.ingest}`);

    it('answers the credential examples as documented (401 without, 200 with Bearer or Basic, 404 on ingest)', async () => {
      const block = blockWith('Authorization: Bearer');
      expectDocumentedOutput(block, await bash(onTheseListeners(block)));
    });

    it('answers the probe examples as documented', async () => {
      const block = blockWith('livez');
      expectDocumentedOutput(block, await bash(onTheseListeners(block)));
    });
  });

  it('documents the compiled start that CI runs, in the same order (.ci/compiled-start)', () => {
    const ciScript = readFileSync('.ci/compiled-start', 'utf8');
    let from = 0;
    for (const line of blockWith('npm ci --omit=dev').split('\n')) {
      const command = line.replace(/#.*$/, '').trim();
      if (command === '') continue;
      const at = ciScript.indexOf(command, from);
      expect([command, at >= 0]).toEqual([command, true]);
      from = at + command.length;
    }
  });

  describe('on a private redis-server with its default (non-durable) settings', () => {
    let server: RedisServer;
    let redis: Redis;
    beforeAll(async () => {
      server = await startRedisServer();
      redis = new Redis(server.url);
    });
    afterAll(async () => {
      redis?.disconnect();
      await server?.stop();
    });

    it('makes Redis keep the 202 promise: afterwards no Day15 process would warn about durability', async () => {
      expect(await durabilityWarnings(redis)).not.toEqual([]);
      const block = blockWith('redis-cli');
      expectDocumentedOutput(block, await bash(block.replaceAll('redis-cli ', `redis-cli -p ${server.port} `)));
      expect(await durabilityWarnings(redis)).toEqual([]);
    });
  });

  it('checks and unit-tests the alert rules with the documented promtool commands', async () => {
    const block = blockWith('promtool');
    expectDocumentedOutput(block, await bash(block));
  });

  it('gives a prometheus.yml that promtool accepts, with the alert rules and the token file next to it', async () => {
    const [config] = codeBlocks(deploying, 'yaml').filter((block) => block.includes('scrape_configs'));
    const dir = mkdtempSync(join(tmpdir(), 'day15-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), config!);
    copyFileSync('config/prometheus/day15-alerts.yml', join(dir, 'day15-alerts.yml'));
    writeFileSync(join(dir, 'day15-ops-token'), token);
    expect(await promtool('check', 'config', join(dir, 'prometheus.yml'))).toMatch(/SUCCESS: 1 rule files found/);
  });
});
