import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { freePort } from '../support/redis-server.js';

export interface GeneratorSummary {
  scenarios: { name: string; passed: boolean }[];
  accepted: number;
  duplicates: number;
  accepted_by_type: Record<string, number>;
  expected_mrr: number;
  processed: boolean;
}

// `npm run orchestrate` as a real process on a free port with its own log file.
export async function startOrchestrator(env: Record<string, string> = {}) {
  const port = await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), 'day15-e2e-')), 'pipeline.log');
  const orchestrator = startAppProcess('scripts/orchestrate.ts', { DAY15_WEBHOOK_PORT: String(port), DAY15_LOG_FILE: logFile, ...env });
  const url = `http://localhost:${port}`;
  await orchestrator.waitForLine(/Receiver listening on/, 30_000);
  return { orchestrator, url, logFile, log: () => readFileSync(logFile, 'utf8') };
}

// `npm run generate -- [scenario] --json` against that URL; returns its exit code and JSON summary.
export async function runGenerator(url: string, ...args: string[]): Promise<{ code: number | string; summary: GeneratorSummary; output: string }> {
  const run = startAppProcess('scripts/event-generator.ts', {}, [...args, '--url', url, '--json']);
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

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
