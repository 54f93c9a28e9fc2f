import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsDocument } from '../../libs/analytics/index.js';
import { startAppProcess, type AppProcess } from '../../tools/app-process.js';
import { freePort } from '../../tools/free-port.js';
import { waitUntil } from '../../tools/wait.js';

type DayMovements = MetricsDocument['subscriptions']['movements']['by_day'][number];

// The generator's --json summary (scripts/generator/main.ts).
export interface GeneratorSummary {
  scenarios: { name: string; passed: boolean }[];
  accepted: number;
  duplicates: number;
  accepted_by_type: Record<string, number>;
  currency: string;
  expected_mrr: number;
  expected_mrr_by_currency: Record<string, number>;
  expected_unconverted: Record<string, number>;
  expected_movements: DayMovements[];
  expected_active_users_today: number;
  metrics_checks: { name: string; passed: boolean; exact: boolean; expected: unknown; actual: unknown }[];
  processed: boolean;
}

// What a run's summary says the revenue figures of a fresh pipeline (nothing before the run) must be, and
// what a metrics document shows for the same figures on the summary's days.
export const expectedRevenue = (summary: GeneratorSummary) => ({
  mrr: summary.expected_mrr,
  mrr_by_currency: summary.expected_mrr_by_currency,
  unconverted: summary.expected_unconverted,
  by_day: summary.expected_movements,
});
export function revenueOf({ subscriptions }: MetricsDocument, summary: GeneratorSummary) {
  const days = new Set(summary.expected_movements.map((day) => day.date));
  return {
    mrr: subscriptions.mrr,
    mrr_by_currency: subscriptions.mrr_by_currency,
    unconverted: subscriptions.unconverted,
    by_day: subscriptions.movements.by_day.filter((day) => days.has(day.date)),
  };
}

// The settings our scripts share with the pipeline they talk to, as config/.env would on a real host: the
// generator converts money as the pipeline does.
const sharedSettings = ['DAY15_BASE_CURRENCY', 'DAY15_FX_RATES', 'DAY15_FX_RATES_DATE'];

// Logged once both listeners listen.
const listening = /Ops listening on/;
// How a child that could not bind its port says so: Node (EADDRINUSE) or redis-server ("Address already in use").
const portTaken = /EADDRINUSE|address already in use/i;
const startAttempts = 5;

// `npm run orchestrate` as a real process on free ports (ingest and ops) with its own log file. A port from
// freePort() can be taken by someone else before the receiver (or an embedded redis-server) binds it; then
// this attempt is stopped and the orchestrator started again on fresh ports: `freshEnv` gives the variables
// that need a new value per attempt (e.g. DAY15_REDIS_PORT of an embedded Redis). A DAY15_WEBHOOK_PORT given
// in `env` is used as is, without retries. `ops` is how a tool finds the ops listener: its URL, and the
// variables that point our scripts at it and the money settings they share with it (as config/.env would on a
// real host).
export async function startOrchestrator(
  env: Record<string, string> = {},
  freshEnv: () => Promise<Record<string, string>> = async () => ({}),
) {
  const failures: string[] = [];
  const attempts = env.DAY15_WEBHOOK_PORT === undefined ? startAttempts : 1;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const port = env.DAY15_WEBHOOK_PORT ?? String(await freePort());
    const opsEnv = { DAY15_OPS_PORT: env.DAY15_OPS_PORT ?? String(await freePort()) };
    const logFile = join(mkdtempSync(join(tmpdir(), 'day15-e2e-')), 'pipeline.log');
    const orchestrator = startAppProcess('scripts/orchestrator/main.ts', {
      DAY15_WEBHOOK_PORT: port,
      ...opsEnv,
      DAY15_LOG_FILE: logFile,
      ...env,
      ...(await freshEnv()),
    });
    const seen = await orchestrator.waitForLine(new RegExp(`${listening.source}|${portTaken.source}`, 'i'), 60_000);
    const line = seen.input ?? seen[0];
    if (!portTaken.test(line)) {
      const log = () => readFileSync(logFile, 'utf8');
      // The log file is written asynchronously: wait for a line to reach it rather than reading it once.
      const logged = (pattern: RegExp, timeoutMs = 30_000) =>
        waitUntil(
          async () => pattern.test(log()),
          timeoutMs,
          () => `${pattern} in ${logFile}; it ends with: ${log().slice(-800)}`,
        );
      const shared = Object.fromEntries(Object.entries(env).filter(([name]) => sharedSettings.includes(name)));
      const ops = { url: `http://127.0.0.1:${opsEnv.DAY15_OPS_PORT}`, env: { ...opsEnv, ...shared } };
      return { orchestrator, url: `http://localhost:${port}`, ops, logFile, log, logged };
    }
    failures.push(`attempt ${attempt}: ${line}`);
    await stopAttempt(orchestrator);
  }
  throw new Error(`The orchestrator could not bind its ports in ${attempts} attempt(s):\n${failures.join('\n')}`);
}

// Stops an orchestrator whose ports were taken, children included, before the next attempt.
async function stopAttempt(orchestrator: AppProcess): Promise<void> {
  orchestrator.child.kill('SIGTERM');
  const timer = setTimeout(() => orchestrator.child.kill('SIGKILL'), 30_000);
  await orchestrator.exited;
  clearTimeout(timer);
}

// `npm run generate -- [scenario] --json` against that URL, finding the ops listener as configured by `opsEnv`
// (the orchestrator's DAY15_OPS_*); returns its exit code and JSON summary.
export async function runGenerator(
  url: string,
  opsEnv: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | string; summary: GeneratorSummary; output: string }> {
  const run = startAppProcess('scripts/generator/main.ts', opsEnv, [...args, '--url', url, '--json']);
  const code = await run.exited;
  const output = run.lines.join('\n');
  const json = run.lines.filter((line) => line.startsWith('{')).pop();
  if (!json) throw new Error(`The generator printed no JSON summary (exit ${code}):\n${output}`);
  return { code, summary: JSON.parse(json) as GeneratorSummary, output };
}

// Pids from the orchestrator's "Started <name> (pid N)" lines, newest last.
export function pidsOf(orchestrator: AppProcess, name: string): number[] {
  return orchestrator.lines
    .map((line) => new RegExp(`Started ${name} \\(pid (\\d+)\\)`).exec(line)?.[1])
    .filter((pid): pid is string => pid !== undefined)
    .map(Number);
}

// A process that has exited but was not reaped yet (a zombie, e.g. an orphan waiting for init) is not alive.
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
