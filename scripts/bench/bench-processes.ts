import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number;
  /** Peak resident set size so far, in MB (VmHWM). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

const ticksPerSecond = 100;

let profileDir: string | undefined;

/**
 * Runs `run` with every process started here meanwhile under `node --cpu-prof`, writing its profiles to
 * `<dir>/<name>/` when it exits (NODE_OPTIONS refuses the flag, so the spawner passes it); processes started
 * before or after are not profiled. A process has one profile per thread (tsx's loader runs in a thread of
 * its own); mainThreadProfile picks the main one.
 */
export async function withCpuProfiles<T>(dir: string, run: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  profileDir = dir;
  try {
    return await run();
  } finally {
    profileDir = undefined;
  }
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOfPid(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/**
 * CPU seconds (user + system) of this process plus those of its children that have exited, from
 * /proc/self/stat: a wrk run counts once it has ended (Node reaps its children, and the kernel adds their
 * time to the parent's).
 */
export function cpuSecondsOfThisProcessAndExitedChildren(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime, stime, cutime, cstime
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / ticksPerSecond;
}

/**
 * Starts a TypeScript entry point with `node --import tsx` (so the pid measured is node itself), writes
 * its output to logs/bench-<name>.log (log lines cost what they cost in production), and resolves once a
 * line matches `ready`.
 */
export async function startBenchProcess(
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<BenchProcess> {
  mkdirSync('logs', { recursive: true });
  const log = createWriteStream(`logs/bench-${name}.log`);
  // The child inherits this environment (spawn's default) plus the benchmark's settings.
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', entry, ...args], {
    env: { ...inheritedEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { stdout, stderr } = child as unknown as { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
  stdout.pipe(log);
  stderr.pipe(log);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 30 s (see logs/bench-${name}.log)`)),
      30_000,
    );
    createInterface({ input: stdout }).on('line', (line) => {
      if (ready.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`${name} exited (${code}) before it was ready (see logs/bench-${name}.log)`)),
    );
  });
  const pid = child.pid ?? 0;
  return {
    name,
    child,
    cpuSeconds: () => cpuSecondsOfPid(pid),
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: async () => {
      // Already ended: by itself (an exit code), or by a signal (the peers end on SIGTERM without a code).
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function inheritedEnv(): Record<string, string | undefined> {
  // eslint-disable-next-line no-restricted-properties -- a benchmark harness passes its environment on to the processes it measures.
  return process.env;
}
