import { beforeAll, expect, it } from '@jest/globals';
import request from 'supertest';
import { withBackends } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

const json = { 'Content-Type': 'application/json' };
const eventText = (metadata: string) =>
  `{"event_id":"evt_hostile","event_type":"user_signup","timestamp":"2026-11-26T10:00:00Z","metadata":${metadata}}`;

// [label, path, headers, body, expected status, expected error]
const hostile: [string, string, Record<string, string>, string | Buffer, number, string][] = [
  ['an empty body', '/webhook/events', json, '', 400, 'malformed_json'],
  ['truncated JSON', '/webhook/events', json, '{"event_id":"evt_1","event_ty', 400, 'malformed_json'],
  [
    'bytes that are not UTF-8',
    '/webhook/events',
    json,
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    400,
    'malformed_json',
  ],
  [
    'a JSON array nested 20,000 deep',
    '/webhook/events',
    json,
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    400,
    'invalid_event',
  ],
  [
    'metadata nested deeper than allowed',
    '/webhook/events',
    json,
    eventText(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`),
    400,
    'invalid_event',
  ],
  [
    'a top-level __proto__ key',
    '/webhook/events',
    json,
    eventText('{}').replace('{', '{"__proto__":{"polluted":true},'),
    400,
    'invalid_event',
  ],
  [
    'a constructor key in metadata',
    '/webhook/events',
    json,
    eventText('{"constructor":{"prototype":{"x":1}}}'),
    400,
    'invalid_event',
  ],
  [
    'numbers sent as strings',
    '/webhook/events',
    json,
    JSON.stringify(anEvent({ event_type: 'usage_tracked', metadata: { quantity: '5' } })),
    400,
    'invalid_event',
  ],
  [
    'a huge array in metadata',
    '/webhook/events',
    json,
    eventText(`{"list":[${Array(5000).fill(1).join(',')}]}`),
    400,
    'invalid_event',
  ],
  [
    'a 10 MB event',
    '/webhook/events',
    json,
    eventText(`{"blob":"${'x'.repeat(10 * 1024 * 1024)}"}`),
    413,
    'payload_too_large',
  ],
  [
    'a 10 MB batch',
    '/webhook/batch',
    json,
    `{"events":[${eventText(`{"blob":"${'x'.repeat(10 * 1024 * 1024)}"}`)}]}`,
    413,
    'payload_too_large',
  ],
  [
    'a batch with 100,000 entries',
    '/webhook/batch',
    json,
    `{"events":[${Array(100_000).fill('1').join(',')}]}`,
    413,
    'payload_too_large',
  ],
  ['a JSON string instead of an object', '/webhook/events', json, '"hello"', 400, 'invalid_event'],
  [
    'form encoding',
    '/webhook/events',
    { 'Content-Type': 'application/x-www-form-urlencoded' },
    'event_id=1',
    415,
    'unsupported_media_type',
  ],
  ['no Content-Type', '/webhook/events', {}, JSON.stringify(anEvent()), 415, 'unsupported_media_type'],
];

withBackends('hostile input', (backend) => {
  let harness: ReturnType<typeof receiverHarness>;
  beforeAll(() => {
    harness = receiverHarness(backend.redis);
  });

  it.each(hostile)(
    'answers %s with the right 4xx and queues nothing',
    async (_label, path, headers, body, status, error) => {
      // serialize as is: the bytes on the wire must be exactly the hostile ones.
      const res = await request(harness.app)
        .post(path)
        .set(headers)
        .serialize((raw: unknown) => raw as string)
        .send(body);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ error });
      expect((await harness.queue.stats()).ready).toBe(0);
    },
  );

  it('keeps serving valid events after all of that', async () => {
    await request(harness.app).post('/webhook/events').send(anEvent()).expect(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
