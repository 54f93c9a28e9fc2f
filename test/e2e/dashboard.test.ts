import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { killAppProcesses } from '../support/app-process.js';
import { waitUntil } from '../support/backends.js';
import { startOrchestrator } from './orchestrator-harness.js';

// Debian's chromium, never a downloaded browser; the flags keep it off the network it cannot reach anyway.
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const at = new Date().toISOString();
const events = [
  ...['u1', 'u2', 'u3'].map((user, i) => ({ event_id: `evt_dash_signup_${i}`, event_type: 'user_signup', user_id: user, timestamp: at, metadata: { source: i === 0 ? 'ads' : 'organic' } })),
  { event_id: 'evt_dash_sub_1', event_type: 'subscription_created', user_id: 'u1', timestamp: at, metadata: { plan: 'basic', amount: 29 } },
  { event_id: 'evt_dash_sub_2', event_type: 'subscription_created', user_id: 'u2', timestamp: at, metadata: { plan: 'premium', amount: 1188, billing_cycle: 'annual' } },
  { event_id: 'evt_dash_usage_1', event_type: 'usage_tracked', user_id: 'u3', timestamp: at, metadata: { feature: 'api_calls', quantity: 42 } },
];

describe('the live dashboard in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    killAppProcesses();
  });

  it('shows the sent events in its tiles within 2 s of processing, matching /api/metrics, without page errors', async () => {
    const { orchestrator, url } = await startOrchestrator();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/dashboard`);
    await page.waitForSelector('#status.ok');

    const res = await fetch(`${url}/webhook/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ events }) });
    expect(res.status).toBe(202);
    await waitUntil(async () => ((await (await fetch(`${url}/api/metrics`)).json()) as { totals: { processed: number } }).totals.processed === events.length);
    const processedAt = Date.now();
    await page.locator('#kpi-mrr', { hasText: '$128.00' }).waitFor({ timeout: 10_000 });
    // The page polls every 2 s; allow one more second for the request and rendering.
    expect(Date.now() - processedAt).toBeLessThan(3000);

    const tile = (id: string) => page.textContent(`#${id}`);
    expect(await tile('kpi-signups-today')).toBe('3');
    expect(await tile('kpi-active')).toBe('2');
    expect(await tile('kpi-users')).toBe('3');
    expect(await tile('processed')).toBe('6');
    const metrics = (await (await fetch(`${url}/api/metrics`)).json()) as { signups: { today: number }; subscriptions: { active: number; churned: number } };
    expect(await tile('kpi-signups-today')).toBe(String(metrics.signups.today));
    expect(await tile('kpi-active')).toBe(String(metrics.subscriptions.active));
    expect(await tile('kpi-churned')).toBe(String(metrics.subscriptions.churned));
    expect(await page.getAttribute('#chart-mrr-plan', 'aria-label')).toBe('MRR by plan: basic $29.00, premium $99.00');
    await page.screenshot({ path: 'docs/dashboard.png', fullPage: true });
    expect(errors).toEqual([]);

    orchestrator.child.kill('SIGTERM');
    expect(await orchestrator.exited).toBe(0);
  });
});
