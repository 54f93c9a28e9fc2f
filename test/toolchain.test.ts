import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';

// Guards the module setup: execa@9 is ESM-only, and jest must load it for the orchestrator's tests.
describe('toolchain', () => {
  it('loads the ESM-only execa under jest and runs a real child process with it', async () => {
    const result = await execa('node', ['-e', 'console.log(process.version)']);
    expect(result.stdout).toBe(process.version);
  });
});
