import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { movementKinds } from '../../../libs/analytics/index.js';
import { ExpectedMetrics } from '../expected-metrics.js';
import { randomChoices } from '../random-choices.js';
import { Tally, type ScenarioContext } from '../scenario-context.js';
import { lifecycle } from '../lifecycle-scenario.js';
import { basic } from '../scenarios.js';
import { SyntheticEvents, type SyntheticEvent } from '../synthetic-events.js';
import { WebhookClient } from '../webhook-client.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
});

// A receiver stand-in that accepts every event and notes the phase the generator was in when it arrived;
// `settle` starts the next phase at once, as the real one does once the pipeline has processed everything.
async function scenarioContext() {
  const received: { event: SyntheticEvent; phase: number }[] = [];
  let phase = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ event: JSON.parse(body) as SyntheticEvent, phase });
      res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const expected = new ExpectedMetrics('USD');
  const events = new SyntheticEvents(randomChoices(40));
  const ctx: ScenarioContext = {
    client: new WebhookClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    events,
    say: () => {},
    tally: new Tally(expected),
    settle: async () => {
      phase += 1;
      events.nextPhase();
      return true;
    },
  };
  return { ctx, received, expected };
}

// Each user's subscription events: phases and timestamps, in the order received.
function subscriptionTimelines(received: { event: SyntheticEvent; phase: number }[]) {
  const byUser = new Map<string, { phase: number; at: number }[]>();
  for (const { event, phase } of received.filter(({ event }) => event.event_type.startsWith('subscription_'))) {
    const user = String(event.user_id);
    byUser.set(user, [...(byUser.get(user) ?? []), { phase, at: Date.parse(String(event.timestamp)) }]);
  }
  return [...byUser.values()];
}

const increasing = (values: number[]) => values.every((value, i) => i === 0 || value > (values[i - 1] ?? 0));

describe('the generator scenarios', () => {
  it('when running basic, then the user’s subscription events each come in a phase of their own', async () => {
    const { ctx, received } = await scenarioContext();
    expect(await basic(ctx)).toBe(true);
    expect(received.map(({ event }) => event.event_type)).toEqual([
      'user_signup',
      'subscription_created',
      'subscription_updated',
      'usage_tracked',
      'subscription_cancelled',
    ]);
    expect(subscriptionTimelines(received)[0]?.map((change) => change.phase)).toEqual([0, 1, 2]);
  });

  it('when running lifecycle, then ten customers’ four days move MRR in every way, one phase per day, in order', async () => {
    const { ctx, received, expected } = await scenarioContext();
    expect(await lifecycle(ctx)).toBe(true);
    for (const timeline of subscriptionTimelines(received)) {
      expect(increasing(timeline.map((change) => change.phase))).toBe(true);
      expect(increasing(timeline.map((change) => change.at))).toBe(true);
    }
    const today = new Date().toISOString().slice(0, 10);
    const figures = expected.figures({ EUR: 1.08, GBP: 1.27 }, today);
    const dayMs = 86_400_000;
    expect(figures.movements.map((day) => day.date)).toEqual(
      [3, 2, 1, 0].map((daysAgo) => new Date(Date.now() - daysAgo * dayMs).toISOString().slice(0, 10)),
    );
    const total = (kind: (typeof movementKinds)[number]) => figures.movements.reduce((sum, day) => sum + day[kind], 0);
    const [added, grown, shrunk, lost, back] = movementKinds.map(total);
    for (const amount of [added, grown, -(shrunk ?? 0), -(lost ?? 0), back]) expect(amount).toBeGreaterThan(0);
    expect(Object.keys(figures.mrr_by_currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
    expect(figures.movements.at(-1)?.mrr_end).toBe(figures.mrr);
    expect(figures.active_users_today).toBe(10);
  });
});
