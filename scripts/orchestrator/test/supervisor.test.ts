import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../libs/logging/index.js';
import { waitUntil } from '../../../tools/wait.js';
import { createLineSink } from '../line-sink.js';
import { Supervisor, type ChildSpec } from '../supervisor.js';

const fixture = (name: string, ...args: string[]): ChildSpec => ({
  name,
  command: process.execPath,
  args: [join('scripts/orchestrator/test/fixtures', `${name}.mjs`), ...args],
});

function setup(options: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'day15-sup-'));
  const file = join(dir, 'pipeline.log');
  const sink = createLineSink({ file, console: { write: () => true } as unknown as NodeJS.WritableStream });
  const logger = createLogger({
    level: 'info',
    format: 'text',
    component: 'orchestrator',
    writeLine: (line) => sink.write('orchestrator', line),
  });
  const gaveUp: string[] = [];
  const supervisor = new Supervisor({
    sink,
    logger,
    backoff: { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 },
    stopTimeoutMs: 500,
    onGiveUp: (name) => gaveUp.push(name),
    ...options,
  });
  // The file is written asynchronously: until the sink is closed, wait for what should be in it
  // (logged()) instead of reading it once.
  const log = () => readFileSync(file, 'utf8');
  const logged = (pattern: RegExp, timeoutMs = 30_000) =>
    waitUntil(
      async () => pattern.test(log()),
      timeoutMs,
      () => `${pattern} in ${file}; it ends with: ${log().slice(-500)}`,
    );
  return { dir, supervisor, sink, gaveUp, log, logged };
}

// Real child processes, each a Node.js start, on a machine that may be busy: generous, and waits end as
// soon as their condition holds.
const processTestTimeoutMs = 90_000;
// Grace period for children that do stop on SIGTERM: long, so a slow machine never turns a clean stop into
// a SIGKILL (the test with a child that ignores SIGTERM keeps the short one it asserts on).
const cleanStopMs = 15_000;

describe('Supervisor (with real fixture processes)', () => {
  it(
    'restarts a child that crashed, logging its exit code and the backoff',
    async () => {
      const { dir, supervisor, sink, log, logged } = setup({ stopTimeoutMs: cleanStopMs });
      supervisor.start(fixture('crash-once', join(dir, 'marker')));
      await logged(/\[crash-once\] second run: serving/);
      expect(log()).toMatch(
        /\[orchestrator\] .* - WARN - orchestrator - crash-once exited unexpectedly \(exit code 1\); restarting in 50 ms \(restart 1\)/,
      );
      await supervisor.stop();
      await sink.close();
      expect(log()).toMatch(/\[crash-once\] got SIGTERM, exiting cleanly[\s\S]*Stopped crash-once \(exit code 0\)/);
    },
    processTestTimeoutMs,
  );

  it(
    'gives up on a crash loop with a clear error, after doubling delays',
    async () => {
      const { supervisor, sink, gaveUp, log } = setup({ crashLoop: { maxRestarts: 3, windowMs: 60_000 } });
      supervisor.start(fixture('crash-always'));
      await waitUntil(
        async () => gaveUp.length > 0,
        60_000,
        () => `give-up; log so far: ${log().slice(-500)}`,
      );
      await supervisor.stop();
      await sink.close();
      expect(gaveUp).toEqual(['crash-always']);
      expect(log()).toMatch(/restarting in 50 ms[\s\S]*restarting in 100 ms[\s\S]*restarting in 200 ms/);
      expect(log()).toMatch(
        /\[orchestrator\] .* - ERROR - orchestrator - crash-always crashed 4 times within 60 s \(last: exit code 3\); giving up/,
      );
    },
    processTestTimeoutMs,
  );

  it(
    'kills a child that ignores SIGTERM once the grace period is over',
    async () => {
      const { supervisor, sink, log, logged } = setup();
      supervisor.start(fixture('ignore-sigterm'));
      await logged(/\[ignore-sigterm\] running/);
      await supervisor.stop();
      await sink.close();
      expect(log()).toMatch(
        /WARN - orchestrator - ignore-sigterm did not stop within 500 ms; killing it[\s\S]*Stopped ignore-sigterm \(signal SIGKILL\)/,
      );
    },
    processTestTimeoutMs,
  );

  it(
    'merges the output of several children into whole, tagged lines',
    async () => {
      // A SIGKILL after a short grace period could cut a child's last line in two; these children stop on SIGTERM.
      const { supervisor, sink, log } = setup({ stopTimeoutMs: cleanStopMs });
      supervisor.start(fixture('chatty', 'a'));
      supervisor.start(fixture('chatty', 'b'));
      await waitUntil(
        async () => (log().match(/\n/g) ?? []).length > 2000,
        60_000,
        () => `over 2000 lines; have ${(log().match(/\n/g) ?? []).length}`,
      );
      await supervisor.stop();
      await sink.close();
      const lines = log()
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('[orchestrator]'));
      expect(lines.length).toBeGreaterThan(2000);
      for (const line of lines) expect(line).toMatch(/^\[chatty\] ([ab]) line \d+ x{200} end$/);
    },
    processTestTimeoutMs,
  );
});
