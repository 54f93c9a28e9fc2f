import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { mockRedis } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

const token = 'ops-credential-0123456789';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const opsPaths = ['/dashboard', '/dashboard/dashboard.js', '/api/metrics', '/metrics', '/admin/dead-letters', '/'];

async function guarded() {
  return receiverHarness(await mockRedis.connect(), { DAY15_OPS_TOKEN: token });
}

describe('the ops listener with DAY15_OPS_TOKEN set', () => {
  it.each(opsPaths)('answers GET %s 401 with a Basic challenge when no credential is sent', async (path) => {
    const { ops } = await guarded();
    const res = await request(ops).get(path);
    expect([res.status, res.body.error, res.headers['www-authenticate']]).toEqual([
      401,
      'unauthorized',
      'Basic realm="Day15 ops", charset="UTF-8"',
    ]);
  });

  it.each([
    ['a wrong bearer token', `Bearer ${token}x`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['Basic with a wrong password', basic('admin', 'not-the-token-at-all')],
    ['Basic with the token as user name', basic(token, '')],
    ['Basic without a colon', `Basic ${Buffer.from(token).toString('base64')}`],
    ['another scheme', `Token ${token}`],
  ])('refuses %s with 401', async (_case, authorization) => {
    const { ops } = await guarded();
    expect((await request(ops).get('/api/metrics').set('Authorization', authorization)).status).toBe(401);
  });

  it('answers every ops route to a bearer token or to Basic credentials with any user name and the token as password', async () => {
    const { ops } = await guarded();
    for (const authorization of [`Bearer ${token}`, basic('ops', token), basic('', token)]) {
      for (const path of ['/dashboard', '/api/metrics', '/metrics', '/admin/dead-letters']) {
        const res = await request(ops).get(path).set('Authorization', authorization);
        expect([path, res.status]).toEqual([path, 200]);
      }
    }
  });

  it('hides which paths exist: an unknown path answers 401 too, and 404 only with the credential', async () => {
    const { ops } = await guarded();
    expect((await request(ops).get('/nope')).status).toBe(401);
    expect((await request(ops).get('/nope').set('Authorization', `Bearer ${token}`)).status).toBe(404);
  });

  it('leaves the ingest listener open to senders: webhooks need no ops credential', async () => {
    const { app } = await guarded();
    await request(app).post('/webhook/events').send(anEvent()).expect(202);
    await request(app).get('/health').expect(200);
  });
});
