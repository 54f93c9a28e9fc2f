import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { mainThreadProfile, topFrames } from '../cpu-profile.js';

const frame = (functionName: string, url = '') => ({
  functionName,
  url,
  lineNumber: 0,
  columnNumber: 0,
  scriptId: '0',
});

describe('topFrames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-profile-test-'));
  const file = join(dir, 'CPU.20261127.120000.42.0.001.cpuprofile');
  writeFileSync(
    file,
    JSON.stringify({
      nodes: [
        { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [2, 3, 5] },
        { id: 2, callFrame: frame('(idle)'), hitCount: 50 },
        {
          id: 3,
          callFrame: frame('prepare', `file://${process.cwd()}/apps/consumer/process-batch.ts`),
          hitCount: 10,
          children: [4],
        },
        { id: 4, callFrame: frame('writeUtf8String'), hitCount: 30 },
        {
          id: 5,
          callFrame: frame('parse', `file://${process.cwd()}/node_modules/ajv/dist/core.js`),
          hitCount: 6,
          children: [6],
        },
        // The same function reached by another path counts once, with both paths' samples.
        { id: 6, callFrame: frame('prepare', `file://${process.cwd()}/apps/consumer/process-batch.ts`), hitCount: 4 },
      ],
    }),
  );
  writeFileSync(join(dir, 'CPU.20261127.120000.42.1.002.cpuprofile'), '{"nodes":[]}');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ranks functions by self time, names packages and project files, and a native function by its caller', () => {
    expect(topFrames(file, 3)).toEqual([
      { name: '(idle)', where: '', selfPercent: 50 },
      { name: 'writeUtf8String', where: 'from prepare apps/consumer/process-batch.ts', selfPercent: 30 },
      { name: 'prepare', where: 'apps/consumer/process-batch.ts', selfPercent: 14 },
    ]);
    expect(topFrames(file, 10).find((f) => f.name === 'parse')).toEqual({
      name: 'parse',
      where: 'ajv',
      selfPercent: 6,
    });
  });

  it("picks the main thread's profile (thread 0) among a process's profiles", () => {
    expect(mainThreadProfile(dir)).toBe(file);
  });
});
