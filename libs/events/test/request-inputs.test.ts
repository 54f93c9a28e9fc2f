import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { validateBatchEnvelope, validateDeadLetterListQuery, validateReplayRequest } from '../index.js';

// The hand-written checks the receiver used before these schemas (apps/receiver/routes/post-batch.ts readEnvelope,
// admin-dead-letters.ts boundedInt and the replay route), kept as the reference the schemas must agree with.
type Answer = { ok: true; value: unknown } | { ok: false; error: string; message: string; limitEvents?: number };

function referenceEnvelope(body: unknown, maxEvents: number): Answer {
  const invalid = (message: string) => ({ ok: false, error: 'invalid_batch', message }) as const;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalid('Body must be an object: { "events": [ ... ] }');
  const unknown = Object.keys(body).filter((key) => key !== 'events');
  if (unknown.length > 0) return invalid(`Unknown field(s): ${unknown.join(', ')}; the body is { "events": [ ... ] }`);
  const { events } = body as { events?: unknown };
  if (!Array.isArray(events)) return invalid('"events" must be an array of events');
  if (events.length === 0) return invalid('"events" must hold at least one event');
  if (events.length > maxEvents)
    return {
      ok: false,
      error: 'payload_too_large',
      message: `A batch holds at most ${maxEvents} events`,
      limitEvents: maxEvents,
    };
  return { ok: true, value: { events } };
}

function referenceBoundedInt(raw: unknown, fallback: number, min: number, max: number, name: string): number | string {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) return `${name} must be an integer from ${min} to ${max}`;
  return value;
}

function referenceListQuery(query: Record<string, unknown>): Answer {
  const limit = referenceBoundedInt(query.limit, 50, 1, 500, 'limit');
  if (typeof limit === 'string') return { ok: false, error: 'invalid_request', message: limit };
  const offset = referenceBoundedInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
  if (typeof offset === 'string') return { ok: false, error: 'invalid_request', message: offset };
  return { ok: true, value: { limit, offset } };
}

function referenceReplay(input: unknown): Answer {
  const body = input as { event_ids?: unknown; all?: unknown } | null | undefined;
  const ids = body?.event_ids;
  const all = body?.all === true;
  const validIds = Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string');
  if (all === validIds)
    return { ok: false, error: 'invalid_request', message: 'Send either { "event_ids": ["..."] } or { "all": true }' };
  return { ok: true, value: all ? 'all' : ids };
}

const runs = { numRuns: 2000 };

describe('validateBatchEnvelope', () => {
  it.each([
    [null, 'Body must be an object: { "events": [ ... ] }'],
    [[{ event_id: 'e1' }], 'Body must be an object: { "events": [ ... ] }'],
    ['events', 'Body must be an object: { "events": [ ... ] }'],
    [{}, '"events" must be an array of events'],
    [{ events: { a: 1 } }, '"events" must be an array of events'],
    [{ events: [] }, '"events" must hold at least one event'],
    [{ events: [], extra: true, more: 1 }, 'Unknown field(s): extra, more; the body is { "events": [ ... ] }'],
  ])('refuses %j as invalid_batch: %s', (body, message) => {
    expect(validateBatchEnvelope(body, 3)).toEqual({ ok: false, error: 'invalid_batch', message });
  });

  it('answers payload_too_large with the limit over maxEvents, and accepts up to it', () => {
    expect(validateBatchEnvelope({ events: [1, 2, 3, 4] }, 3)).toEqual({
      ok: false,
      error: 'payload_too_large',
      message: 'A batch holds at most 3 events',
      limitEvents: 3,
    });
    const body = { events: [1, 'x', null] };
    expect(validateBatchEnvelope(body, 3)).toEqual({ ok: true, value: body });
  });

  it('agrees with the previous hand-written check on any input', () => {
    const envelopeLike = fc.dictionary(
      fc.constantFrom('events', 'extra', '__proto__', 'evnts'),
      fc.oneof(fc.array(fc.anything(), { maxLength: 6 }), fc.anything()),
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), envelopeLike), fc.integer({ min: 1, max: 4 }), (body, maxEvents) => {
        expect(validateBatchEnvelope(body, maxEvents)).toEqual(referenceEnvelope(body, maxEvents));
      }),
      runs,
    );
  });
});

describe('validateDeadLetterListQuery', () => {
  it('defaults to limit 50, offset 0, ignoring other parameters', () => {
    expect(validateDeadLetterListQuery({ other: 'x' })).toEqual({ ok: true, value: { limit: 50, offset: 0 } });
    expect(validateDeadLetterListQuery({ limit: '500', offset: '9007199254740991' })).toEqual({
      ok: true,
      value: { limit: 500, offset: 9007199254740991 },
    });
  });

  it.each([
    [{ limit: '0' }, 'limit must be an integer from 1 to 500'],
    [{ limit: '501', offset: '-1' }, 'limit must be an integer from 1 to 500'],
    [{ limit: '2.5' }, 'limit must be an integer from 1 to 500'],
    [{ limit: ['1', '2'] }, 'limit must be an integer from 1 to 500'],
    [{ offset: 'x' }, 'offset must be an integer from 0 to 9007199254740991'],
    [{ offset: '9007199254740992' }, 'offset must be an integer from 0 to 9007199254740991'],
  ])('refuses %j: %s', (query, message) => {
    expect(validateDeadLetterListQuery(query)).toEqual({ ok: false, error: 'invalid_request', message });
  });

  it('agrees with the previous hand-written check on any query string values', () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        '',
        ' 5 ',
        '1e2',
        '0x10',
        '-0',
        '1.0',
        '1.5',
        'Infinity',
        'NaN',
        '9007199254740991',
        '9007199254740992',
        '500',
        '501',
      ),
      fc.integer({ min: -10, max: 1000 }).map(String),
      fc.string(),
      fc.array(fc.string({ maxLength: 3 }), { minLength: 2, maxLength: 3 }),
    );
    fc.assert(
      fc.property(value, value, (limit, offset) => {
        const query = { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
        expect(validateDeadLetterListQuery(query)).toEqual(referenceListQuery(query));
      }),
      runs,
    );
  });
});

describe('validateReplayRequest', () => {
  it('answers what to replay: all, or the ids as sent', () => {
    expect(validateReplayRequest({ all: true })).toEqual({ ok: true, value: 'all' });
    expect(validateReplayRequest({ event_ids: ['a', 'a', 'b'] })).toEqual({ ok: true, value: ['a', 'a', 'b'] });
    expect(validateReplayRequest({ all: true, event_ids: [] })).toEqual({ ok: true, value: 'all' });
    expect(validateReplayRequest({ all: false, event_ids: ['a'] })).toEqual({ ok: true, value: ['a'] });
  });

  it.each([
    [{}],
    [null],
    [undefined],
    [[]],
    [{ all: true, event_ids: ['a'] }],
    [{ event_ids: [] }],
    [{ event_ids: [1] }],
    [{ all: 'true' }],
  ])('refuses %j', (body) => {
    expect(validateReplayRequest(body)).toEqual({
      ok: false,
      error: 'invalid_request',
      message: 'Send either { "event_ids": ["..."] } or { "all": true }',
    });
  });

  it('agrees with the previous hand-written check on any input', () => {
    const replayLike = fc.record(
      {
        all: fc.oneof(fc.constant(true), fc.anything()),
        event_ids: fc.oneof(
          fc.array(fc.string(), { maxLength: 3 }),
          fc.array(fc.anything(), { maxLength: 3 }),
          fc.anything(),
        ),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), replayLike), (body) => {
        expect(validateReplayRequest(body)).toEqual(referenceReplay(body));
      }),
      runs,
    );
  });
});
