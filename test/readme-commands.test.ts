import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { killAppProcesses, startAppProcess } from '../tools/app-process.js';
import { codeBlocks, readme, section } from './support/readme.js';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('README commands work as written', () => {
  it('starts with the set-up commands (npm ci, then npm run orchestrate) and names the test command', () => {
    const quickStart = section('Quick start');
    expect(quickStart.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(quickStart.indexOf('npm ci')).toBeLessThan(quickStart.indexOf('npm run orchestrate'));
    expect(section('Tests')).toContain('npm test');
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((match) => match[1] ?? '');
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });

  describe('the Receiver API curl examples against real receivers', () => {
    const ports = { plain: 0, signed: 0 };
    // Port 0: each receiver binds a port the OS picks and names it in its "listening on" line, so no other
    // process can take the port between choosing it and listening on it (as with a port from freePort()).
    const listening = /Receiver listening on http:\/\/[^\s:]+:(\d+)/;
    beforeAll(async () => {
      const plain = startAppProcess('apps/receiver/main.ts', { DAY15_WEBHOOK_PORT: '0' });
      const signed = startAppProcess('apps/receiver/main.ts', {
        DAY15_WEBHOOK_PORT: '0',
        DAY15_WEBHOOK_SECRETS: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      });
      const [[, plainPort], [, signedPort]] = await Promise.all([
        plain.waitForLine(listening, 60_000),
        signed.waitForLine(listening, 60_000),
      ]);
      ports.plain = Number(plainPort);
      ports.signed = Number(signedPort);
    }, 90_000);
    afterAll(killAppProcesses);

    // Each example runs as written (port aside) and answers what its `# {...}` comment shows; the signing
    // example runs against a receiver that has its secret.
    it.each(codeBlocks(section('Receiver API'), 'bash').map((block, i) => [i, block] as const))(
      'example %d answers as documented',
      (_i, block) => {
        const signing = block.includes('webhook-signature');
        const command = block.replaceAll('localhost:5015', `localhost:${signing ? ports.signed : ports.plain}`);
        const output = execFileSync('bash', ['-c', command], { encoding: 'utf8' });
        const answer = JSON.parse(
          output
            .trim()
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .pop() ?? '',
        ) as Record<string, unknown>;
        const documented = /# (\{"(?:status|error)":"[a-z_]+")/.exec(block)?.[1];
        if (documented) expect(JSON.stringify(answer).startsWith(documented)).toBe(true);
        else expect(answer.status).toBe('accepted');
      },
    );
  });
});
