import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface AppProcess {
  readonly child: ChildProcess;
  /** Every stdout/stderr line so far. */
  readonly lines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once the process has ended and its output has been read. */
  readonly exited: Promise<number | string>;
}

// Generous: starting `node --import tsx` (compiling on the fly) takes seconds on a busy 2-core machine.
const defaultLineTimeoutMs = 30_000;
// After 'exit', how long to wait for the output pipes to close (a grandchild could hold them open).
const outputDrainMs = 5_000;

const running = new Set<ChildProcess>();

let archiveDir: string | undefined;
// Consumers in Redis mode archive by default: a test's processes write to a temporary folder of this test
// run, never to the repository's data/archive, unless the test names one (DAY15_ARCHIVE_DIR).
function testArchiveDir(): string {
  archiveDir ??= mkdtempSync(join(tmpdir(), 'day15-test-archive-'));
  return archiveDir;
}

/** SIGKILLs every app process a test started and left running (call it in afterEach). */
export function killAppProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Starts one of our real entry points (e.g. apps/receiver/main.ts) as a child process, with only the
 * DAY15_* variables given here (none inherited), and collects its output line by line. Its ops listener
 * takes any free port unless `env` names one (DAY15_OPS_PORT), so processes started side by side never
 * contend for the fixed default; a receiver names the port it bound in its "Ops listening on" line.
 */
export function startAppProcess(entry: string, env: Record<string, string>, args: string[] = []): AppProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DAY15_')));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...inherited, DAY15_OPS_PORT: '0', DAY15_ARCHIVE_DIR: testArchiveDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        const match = line.match(waiter.pattern);
        if (match) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    });
  }
  running.add(child);
  // 'exit' can come before the last lines were read from the pipes; 'close' comes after. So the result
  // waits for 'close' (bounded, in case a grandchild keeps the pipes open), and a test that reads
  // `lines` after `exited` sees everything the process wrote.
  const exited = new Promise<number | string>((resolve) => {
    let result: number | string | undefined;
    child.once('close', (code, signal) => resolve(result ?? code ?? signal ?? -1));
    child.once('exit', (code, signal) => {
      running.delete(child);
      result = code ?? signal ?? -1;
      setTimeout(() => resolve(result as number | string), outputDrainMs).unref();
    });
  });
  return {
    child,
    lines,
    exited,
    waitForLine: (pattern, timeoutMs = defaultLineTimeoutMs) => {
      const seen = lines.map((line) => line.match(pattern)).find(Boolean);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`No line matching ${pattern} within ${timeoutMs} ms:\n${lines.join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (match) => {
            clearTimeout(timer);
            resolve(match);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`Process exited (${code}) before a line matched ${pattern}:\n${lines.join('\n')}`));
        });
      });
    },
  };
}
