import { decodeSecret, signPayload } from '../../libs/events/index.js';

export interface HostileRequest {
  label: string;
  path: '/webhook/events' | '/webhook/batch';
  headers: Record<string, string>;
  body: string | Buffer;
  status: number;
  error: string;
}

const json = { 'Content-Type': 'application/json' };
const valid = {
  event_id: 'evt_hostile_base',
  event_type: 'subscription_created',
  user_id: 'user_1',
  timestamp: '2026-11-26T10:00:00Z',
  metadata: { plan: 'basic', amount: 29, billing_cycle: 'monthly', currency: 'USD' },
};
const validText = JSON.stringify(valid);

// At least 200 hostile requests, each with the answer it must get. None of them may enqueue anything.
export function hostileCorpus(limitBytes: number): HostileRequest[] {
  const corpus: HostileRequest[] = [];
  const add = (
    label: string,
    body: string | Buffer,
    status: number,
    error: string,
    headers: Record<string, string> = json,
    path: HostileRequest['path'] = '/webhook/events',
  ) => corpus.push({ label, path, headers, body, status, error });

  for (let cut = 0; cut < validText.length - 1; cut += 3)
    add(`truncated at ${cut}`, validText.slice(0, cut), 400, 'malformed_json');
  for (const text of [
    '{',
    '}',
    '[',
    'nul',
    'tru',
    '{"a":}',
    "{'a':1}",
    '{"a":1,}',
    '{"a" 1}',
    'NaN',
    'undefined',
    '01',
    '{"a":01}',
    '"\\x41"',
  ]) {
    add(`malformed ${text}`, text, 400, 'malformed_json');
  }
  const wrong: unknown[] = [1, -1, 1.5, true, null, [], {}, '', 'x'.repeat(300)];
  for (const field of ['event_id', 'event_type', 'timestamp', 'user_id', 'metadata'] as const) {
    for (const value of wrong) {
      if (field === 'metadata' && typeof value === 'object' && value !== null && !Array.isArray(value)) continue;
      add(
        `${field} = ${JSON.stringify(value).slice(0, 20)}`,
        JSON.stringify({ ...valid, [field]: value }),
        400,
        'invalid_event',
      );
      add(
        `batch of one with ${field} = ${JSON.stringify(value).slice(0, 20)}`,
        JSON.stringify({ events: [{ ...valid, [field]: value }] }),
        400,
        'invalid_events',
        json,
        '/webhook/batch',
      );
    }
  }
  for (const [field, value] of [
    ['amount', '29'],
    ['amount', -1],
    ['amount', null],
    ['billing_cycle', 'weekly'],
    ['currency', 'usd'],
    ['plan', ''],
    ['plan', 5],
  ] as const) {
    add(
      `metadata.${field} = ${JSON.stringify(value)}`,
      JSON.stringify({ ...valid, metadata: { ...valid.metadata, [field]: value } }),
      400,
      'invalid_event',
    );
  }
  for (const timestamp of ['2026-11-26', '2026-13-01T00:00:00Z', '26/11/2026', '2026-11-26T25:00:00Z', '1700000000']) {
    add(`timestamp ${timestamp}`, JSON.stringify({ ...valid, timestamp }), 400, 'invalid_event');
  }
  add('event_id of 201 characters', JSON.stringify({ ...valid, event_id: 'e'.repeat(201) }), 400, 'invalid_event');
  add(
    'body over the limit',
    JSON.stringify({ ...valid, metadata: { ...valid.metadata, pad: 'x'.repeat(limitBytes) } }),
    413,
    'payload_too_large',
  );
  add(
    '10 MB body',
    JSON.stringify({ ...valid, metadata: { pad: 'x'.repeat(10 * 1024 * 1024) } }),
    413,
    'payload_too_large',
  );
  add('array nested 30,000 deep', `${'['.repeat(30_000)}${']'.repeat(30_000)}`, 400, 'invalid_event');
  add('object nested 1,000 deep', `${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`, 400, 'invalid_event');
  add(
    'metadata nested 4 deep',
    JSON.stringify({ ...valid, metadata: { a: { b: { c: { d: 1 } } } } }),
    400,
    'invalid_event',
  );
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    add(`top-level ${key}`, validText.replace('{', `{"${key}":{"polluted":true},`), 400, 'invalid_event');
    add(
      `metadata ${key}`,
      JSON.stringify(valid).replace('"metadata":{', `"metadata":{"${key}":{"polluted":true},`),
      400,
      'invalid_event',
    );
    add(
      `nested metadata ${key}`,
      JSON.stringify(valid).replace('"metadata":{', `"metadata":{"x":{"${key}":1},`),
      400,
      'invalid_event',
    );
  }
  const utf8 = Buffer.from(validText);
  for (const [label, bytes] of [
    ['lone continuation', [0x80]],
    ['overlong slash', [0xc0, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['truncated sequence', [0xe2, 0x82]],
    ['invalid byte', [0xff]],
    ['bom-like garbage', [0xfe, 0xff]],
  ] as const) {
    add(
      `invalid UTF-8: ${label}`,
      Buffer.concat([utf8.subarray(0, 20), Buffer.from(bytes), utf8.subarray(20)]),
      400,
      'malformed_json',
    );
  }
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'text/json',
    'application/xml',
  ]) {
    add(`Content-Type ${type}`, validText, 415, 'unsupported_media_type', { 'Content-Type': type });
  }
  add('no Content-Type', validText, 415, 'unsupported_media_type', {});
  add('gzip Content-Encoding', validText, 415, 'unsupported_media_type', { ...json, 'Content-Encoding': 'gzip' });
  add('empty body', '', 400, 'malformed_json');
  for (const body of ['{}', '[]', '{"events":"x"}', '{"events":[]}', '{"events":[1,2]}', '{"batch":[]}']) {
    const error = body === '{"events":[1,2]}' ? 'invalid_events' : 'invalid_batch';
    add(`batch ${body}`, body, 400, error, json, '/webhook/batch');
  }
  add(
    'batch over the event limit',
    JSON.stringify({ events: Array(1001).fill(valid) }),
    413,
    'payload_too_large',
    json,
    '/webhook/batch',
  );
  return corpus;
}

// Requests for a receiver that verifies signatures with `secret`: each must be refused with 401.
export function forgedSignatures(secret: string): HostileRequest[] {
  const key = decodeSecret(secret);
  const now = Math.floor(Date.now() / 1000);
  const sign = (id: string, at: number, body: string, withKey = key) =>
    `v1,${signPayload(withKey, id, String(at), Buffer.from(body))}`;
  const headers = (id: string, at: number, signature: string) => ({
    ...json,
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': signature,
  });
  const forged = decodeSecret('whsec_Zm9yZ2VkLXNlY3JldC0wMTIzNDU2Nzg5');
  const cases: [string, Record<string, string>, string, string][] = [
    [
      'forged with another secret',
      headers('msg_1', now, sign('msg_1', now, validText, forged)),
      validText,
      'invalid_signature',
    ],
    ['signature of another body', headers('msg_2', now, sign('msg_2', now, '{}')), validText, 'invalid_signature'],
    [
      'signature of another id',
      headers('msg_3', now, sign('msg_other', now, validText)),
      validText,
      'invalid_signature',
    ],
    [
      'stale by 10 minutes',
      headers('msg_4', now - 600, sign('msg_4', now - 600, validText)),
      validText,
      'stale_timestamp',
    ],
    [
      'from 10 minutes in the future',
      headers('msg_5', now + 600, sign('msg_5', now + 600, validText)),
      validText,
      'stale_timestamp',
    ],
    [
      'v2 scheme only',
      headers('msg_6', now, sign('msg_6', now, validText).replace('v1,', 'v2,')),
      validText,
      'invalid_signature',
    ],
    ['garbage signature', headers('msg_7', now, 'v1,not-base64!!'), validText, 'invalid_signature'],
    ['no signature headers', json, validText, 'invalid_signature'],
  ];
  return cases.map(([label, h, body, error]) => ({
    label,
    path: '/webhook/events',
    headers: h,
    body,
    status: 401,
    error,
  }));
}
