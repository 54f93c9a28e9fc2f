import { expect, it } from '@jest/globals';
import request from 'supertest';
import { withBackends } from '../../../test/support/backends.js';
import { decodeSecret, signPayload } from '../../../libs/events/index.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

const current = 'whsec_Y3VycmVudC1zZWNyZXQtMDEyMzQ1Njc4OQ==';
const previous = 'whsec_cHJldmlvdXMtc2VjcmV0LTAxMjM0NTY3ODk=';
const unknown = 'whsec_dW5rbm93bi1zZWNyZXQtMDEyMzQ1Njc4OQ==';

// The receiver's clock, fixed on a whole second: signatures are checked against it, so "301 s old" is
// exactly 301 s, however long a request takes on a busy machine (with the wall clock, a timestamp 301 s
// ahead became 300.x s ahead by the time it was checked, and was accepted).
const nowMs = Date.parse('2026-11-26T14:30:00Z');
const clock = () => nowMs;
const nowSeconds = nowMs / 1000;

function signed(secret: string, body: string, { id = 'msg_1', at = nowSeconds } = {}) {
  const timestamp = String(at);
  return {
    'Content-Type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signPayload(decodeSecret(secret), id, timestamp, Buffer.from(body))}`,
  };
}

withBackends('signed webhooks', (backend) => {
  let harness: ReturnType<typeof receiverHarness>;
  const post = (path: string, headers: Record<string, string>, body: string) =>
    request(harness.app).post(path).set(headers).send(body);
  const fresh = () => {
    harness = receiverHarness(
      backend.redis,
      { DAY15_WEBHOOK_SECRETS: `${current},${previous}`, DAY15_SIGNATURE_TOLERANCE_SECONDS: '300' },
      clock,
    );
  };

  it('accepts an event signed with the current secret and one signed with the previous secret (rotation)', async () => {
    fresh();
    const first = JSON.stringify(anEvent());
    await post('/webhook/events', signed(current, first), first).expect(202);
    const second = JSON.stringify(anEvent());
    await post('/webhook/events', signed(previous, second), second).expect(202);
    const batch = JSON.stringify({ events: [anEvent()] });
    await post('/webhook/batch', signed(current, batch), batch).expect(202);
  });

  it('answers 401 invalid_signature for an unknown secret, a missing signature, and a body tampered after signing', async () => {
    fresh();
    const body = JSON.stringify(anEvent());
    const wrongSecret = await post('/webhook/events', signed(unknown, body), body);
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ error: 'invalid_signature' });
    const { 'webhook-signature': _dropped, ...unsigned } = signed(current, body);
    expect((await post('/webhook/events', unsigned, body)).body).toEqual({ error: 'invalid_signature' });
    const tampered = body.replace('organic', 'paid_ads');
    expect((await post('/webhook/events', signed(current, body), tampered)).status).toBe(401);
    expect((await harness.queue.stats()).ready).toBe(0);
  });

  it('answers 401 stale_timestamp for a signature older or newer than the tolerance', async () => {
    fresh();
    const body = JSON.stringify(anEvent());
    const old = await post('/webhook/events', signed(current, body, { at: nowSeconds - 301 }), body);
    expect(old.status).toBe(401);
    expect(old.body).toEqual({ error: 'stale_timestamp' });
    expect((await post('/webhook/events', signed(current, body, { at: nowSeconds + 301 }), body)).body).toEqual({
      error: 'stale_timestamp',
    });
    expect((await harness.queue.stats()).ready).toBe(0);
  });
});
