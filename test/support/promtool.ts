import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs promtool; a missing promtool fails the test (.ci/run installs Debian's `prometheus` package). */
export async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args);
    return stdout + stderr;
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (code === 'ENOENT') throw new Error('promtool is not installed: apt-get install prometheus (see .ci/run)');
    throw new Error(`promtool ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}
