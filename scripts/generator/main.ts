import { parseArgs } from 'node:util';
import { opsEndpoint, type OpsEndpoint } from '../../libs/config/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { ExpectedMetrics } from './expected-metrics.js';
import { load } from './load-scenario.js';
import { checkMetrics, describeCheck, type MetricsCheck } from './metrics-checks.js';
import { readAfter, readOpsMetrics, waitForMetrics, type OpsMetrics } from './ops-metrics.js';
import { maxSeed, randomChoices } from './random-choices.js';
import { Tally, type Scenario, type ScenarioContext } from './scenario-context.js';
import { scenarios } from './scenarios.js';
import { SyntheticEvents } from './synthetic-events.js';
import { WebhookClient } from './webhook-client.js';

const usage =
  'npm run generate -- [basic|idempotency|burst|batch|lifecycle|load] [--url URL] [--ops-url URL] [--count N] [--rate R] [--batch-size B] [--seed N] [--json]';

// npm run generate: sends realistic events to a running pipeline, checks every answer, then checks that
// every accepted event reached the analytics and that the revenue figures moved exactly as the accepted events
// say (read from the ops listener, found from config like the pipeline's: DAY15_OPS_HOST, DAY15_OPS_PORT,
// DAY15_OPS_TOKEN; money converted at the pipeline's DAY15_BASE_CURRENCY and DAY15_FX_RATES). Exits 1 when an
// expectation fails. With --seed N every random choice comes from N, so runs with the same seed send the same
// events (sent now).
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'ops-url': { type: 'string' },
      count: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '200' },
      'batch-size': { type: 'string', default: '1' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const name = positionals[0] ?? 'all';
  if (values.help || (name !== 'all' && name !== 'load' && !(name in scenarios))) {
    console.log(`Usage: ${usage}`);
    return values.help ? 0 : 1;
  }
  const seed = values.seed === undefined ? undefined : seedFrom(values.seed);
  if (seed === null) {
    console.error(`--seed ${values.seed} is not allowed: expected an integer from 0 to ${maxSeed}`);
    return 1;
  }
  const config = loadConfigOrExit();
  const { baseCurrency, fxRates } = config.analytics;
  const client = new WebhookClient(values.url ?? `http://localhost:${config.webhook.port}`, config.webhook.secrets);
  const configured = opsEndpoint(config);
  const ops: OpsEndpoint = { ...configured, url: values['ops-url'] ?? configured.url };
  const expected = new ExpectedMetrics(baseCurrency);

  const health = await client.get('/health').catch(() => undefined);
  if (health?.status !== 200) {
    console.error(
      `The pipeline is not answering at ${client.baseUrl}/health. Start it with npm run orchestrate (or pass --url).`,
    );
    return 1;
  }
  const before = await readOpsMetrics(ops).catch((error: Error) => error);
  if (before instanceof Error) {
    console.error(before.message);
    return 1;
  }
  // Each settle waits for everything accepted so far; the last one (after the last scenario) is the final wait.
  const wait = { settled: true, last: undefined as OpsMetrics | undefined, ms: 0 };
  const ctx: ScenarioContext = {
    client,
    events: new SyntheticEvents(randomChoices(seed), baseCurrency),
    say: (line) => console.log(line),
    tally: new Tally(expected),
    settle: async () => {
      const started = Date.now();
      const target = before.totals.processed + ctx.tally.accepted;
      wait.last = await waitForMetrics(ops, (m) => m.totals.processed >= target, 15_000 + ctx.tally.accepted * 2);
      wait.ms = Date.now() - started;
      wait.settled &&= wait.last !== undefined;
      ctx.events.nextPhase();
      return wait.last !== undefined;
    },
  };

  const chosen: [string, Scenario][] =
    name === 'load'
      ? [
          [
            'load',
            (c) =>
              load(c, {
                count: Number(values.count),
                rate: Number(values.rate),
                batchSize: Number(values['batch-size']),
                progress: process.stderr,
              }),
          ],
        ]
      : name === 'all'
        ? Object.entries(scenarios)
        : [[name, scenarios[name as keyof typeof scenarios]]];
  const results: { name: string; passed: boolean }[] = [];
  for (const [scenarioName, run] of chosen) {
    console.log(`Scenario ${scenarioName}:`);
    const passed = await run(ctx);
    results.push({ name: scenarioName, passed });
    console.log(`  ${passed ? 'PASS' : 'FAIL'} ${scenarioName}`);
    await ctx.settle();
  }

  const passedCount = results.filter((r) => r.passed).length;
  const { tally } = ctx;
  console.log(
    `Summary: ${passedCount}/${results.length} scenarios passed; ${tally.accepted} accepted, ${tally.duplicates} duplicates`,
  );
  const processed = wait.settled && wait.last !== undefined;
  console.log(
    processed
      ? `All ${tally.accepted} accepted events processed (${wait.ms} ms after the last send)`
      : `FAIL: not every accepted event was processed within the wait (see logs/day15_pipeline.log)`,
  );
  const after = wait.last && (await readAfter(ops, wait.last));
  const today = (after?.generated_at ?? new Date().toISOString()).slice(0, 10);
  const figures = expected.figures(fxRates, today);
  const checks: MetricsCheck[] = after ? checkMetrics({ expected: figures, rates: fxRates, before, after, today }) : [];
  console.log(`Revenue and users in /api/metrics (this run's change, in ${baseCurrency}):`);
  if (tally.unattributed > 0)
    console.log(`  ${tally.unattributed} events of partly duplicate batches are left out of the expected figures`);
  for (const check of checks) console.log(describeCheck(check));
  if (!after) console.log('  FAIL not checked: the events were not all processed');
  const checked = after !== undefined && checks.every((check) => check.passed);
  if (values.json) {
    console.log(
      JSON.stringify({
        scenarios: results,
        accepted: tally.accepted,
        duplicates: tally.duplicates,
        accepted_by_type: tally.acceptedByType,
        currency: figures.currency,
        expected_mrr: figures.mrr,
        expected_mrr_by_currency: figures.mrr_by_currency,
        expected_unconverted: figures.unconverted,
        expected_movements: figures.movements,
        expected_active_users_today: figures.active_users_today,
        metrics_checks: checks,
        processed,
      }),
    );
  }
  return passedCount === results.length && processed && checked ? 0 : 1;
}

// The seed in `text`, or null when it is not an integer from 0 to maxSeed.
function seedFrom(text: string): number | null {
  const seed = Number(text);
  return /^\d+$/.test(text) && seed <= maxSeed ? seed : null;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
