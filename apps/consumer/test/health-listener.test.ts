import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { healthListener } from '../health-listener.js';

function probes(lastCycleAt: number | undefined, { now = 100_000, stopping = false } = {}) {
  return healthListener({
    consumer: { lastCycleAt: () => lastCycleAt },
    readyWithinMs: 15_000,
    stopping: () => stopping,
    clock: () => now,
  });
}

describe('the consumer probe listener', () => {
  it('answers /livez 200 whatever the loop does', async () => {
    await request(probes(undefined)).get('/livez').expect(200, { status: 'alive' });
  });

  it('is ready only while the loop reached Redis within the window', async () => {
    await request(probes(undefined)).get('/readyz').expect(503);
    expect((await request(probes(95_000)).get('/readyz')).body).toEqual({ status: 'ready', last_cycle_ms_ago: 5000 });
    const stale = await request(probes(80_000)).get('/readyz');
    expect(stale.status).toBe(503);
    expect(stale.body).toEqual({ status: 'not_ready', reason: 'redis_unreachable', last_cycle_ms_ago: 20_000 });
  });

  it('fails readiness from the moment the consumer begins to stop', async () => {
    const res = await request(probes(99_000, { stopping: true })).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.reason).toBe('shutting_down');
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    await request(probes(undefined)).get('/metrics').expect(404);
    await request(probes(undefined)).post('/readyz').expect(405);
  });
});
