import { parseArgs } from 'node:util';
import { opsEndpoint, type OpsEndpoint } from '../../libs/config/index.js';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { load } from './load-scenario.js';
import { readProcessed } from './ops-metrics.js';
import { maxSeed, randomChoices } from './random-choices.js';
import { scenarios, Tally, type Scenario, type ScenarioContext } from './scenarios.js';
import { SyntheticEvents } from './synthetic-events.js';
import { WebhookClient } from './webhook-client.js';

const usage =
  'npm run generate -- [basic|idempotency|burst|batch|load] [--url URL] [--ops-url URL] [--count N] [--rate R] [--batch-size B] [--seed N] [--json]';

// npm run generate: sends realistic events to a running pipeline, checks every answer, then checks that
// every accepted event reached the analytics (read from the ops listener, found from config like the
// pipeline's: DAY15_OPS_HOST, DAY15_OPS_PORT, DAY15_OPS_TOKEN). Exits 1 when an expectation fails. With
// --seed N every random choice comes from N, so runs with the same seed send the same events (sent now).
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
  const client = new WebhookClient(values.url ?? `http://localhost:${config.webhook.port}`, config.webhook.secrets);
  const configured = opsEndpoint(config);
  const ops: OpsEndpoint = { ...configured, url: values['ops-url'] ?? configured.url };
  const ctx: ScenarioContext = {
    client,
    events: new SyntheticEvents(randomChoices(seed)),
    say: (line) => console.log(line),
    tally: new Tally(),
  };

  const health = await client.get('/health').catch(() => undefined);
  if (health?.status !== 200) {
    console.error(
      `The pipeline is not answering at ${client.baseUrl}/health. Start it with npm run orchestrate (or pass --url).`,
    );
    return 1;
  }
  const before = await readProcessed(ops).catch((error: Error) => error);
  if (before instanceof Error) {
    console.error(before.message);
    return 1;
  }
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
  }

  const waited = await waitForProcessed(ops, before + ctx.tally.accepted, 15_000 + ctx.tally.accepted * 2);
  const passedCount = results.filter((r) => r.passed).length;
  console.log(
    `Summary: ${passedCount}/${results.length} scenarios passed; ${ctx.tally.accepted} accepted, ${ctx.tally.duplicates} duplicates`,
  );
  console.log(
    waited === undefined
      ? `FAIL: not every accepted event was processed within the wait (see logs/day15_pipeline.log)`
      : `All ${ctx.tally.accepted} accepted events processed (${waited} ms after the last send)`,
  );
  if (values.json) {
    console.log(
      JSON.stringify({
        scenarios: results,
        accepted: ctx.tally.accepted,
        duplicates: ctx.tally.duplicates,
        accepted_by_type: ctx.tally.acceptedByType,
        expected_mrr: ctx.events.expectedMrr(),
        processed: waited !== undefined,
      }),
    );
  }
  return passedCount === results.length && waited !== undefined ? 0 : 1;
}

// The seed in `text`, or null when it is not an integer from 0 to maxSeed.
function seedFrom(text: string): number | null {
  const seed = Number(text);
  return /^\d+$/.test(text) && seed <= maxSeed ? seed : null;
}

async function waitForProcessed(ops: OpsEndpoint, target: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await readProcessed(ops).catch(() => -1)) >= target) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
