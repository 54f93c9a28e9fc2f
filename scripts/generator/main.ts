import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../../libs/runtime/index.js';
import { load } from './load-scenario.js';
import { scenarios, Tally, type Scenario, type ScenarioContext } from './scenarios.js';
import { SyntheticEvents } from './synthetic-events.js';
import { WebhookClient } from './webhook-client.js';

const usage =
  'npm run generate -- [basic|idempotency|burst|batch|load] [--url URL] [--count N] [--rate R] [--batch-size B] [--json]';

// npm run generate: sends realistic events to a running pipeline, checks every answer, then checks that
// every accepted event reached the analytics. Exits 1 when an expectation fails.
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      count: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '200' },
      'batch-size': { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const name = positionals[0] ?? 'all';
  if (values.help || (name !== 'all' && name !== 'load' && !(name in scenarios))) {
    console.log(`Usage: ${usage}`);
    return values.help ? 0 : 1;
  }
  const config = loadConfigOrExit();
  const client = new WebhookClient(values.url ?? `http://localhost:${config.webhook.port}`, config.webhook.secrets);
  const ctx: ScenarioContext = {
    client,
    events: new SyntheticEvents(),
    say: (line) => console.log(line),
    tally: new Tally(),
  };

  const before = await processedCount(client);
  if (before === undefined) {
    console.error(
      `The pipeline is not answering at ${client.baseUrl}/health. Start it with npm run orchestrate (or pass --url).`,
    );
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

  const waited = await waitForProcessed(client, before + ctx.tally.accepted, 15_000 + ctx.tally.accepted * 2);
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

async function processedCount(client: WebhookClient): Promise<number | undefined> {
  try {
    if ((await client.get('/health')).status !== 200) return undefined;
    return ((await client.get('/api/metrics')).body.totals as { processed: number }).processed;
  } catch {
    return undefined;
  }
}

async function waitForProcessed(client: WebhookClient, target: number, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (((await processedCount(client)) ?? -1) >= target) return Date.now() - started;
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
