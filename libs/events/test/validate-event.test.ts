import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { eventTypes, validateEvent } from '../index.js';

const valid = {
  event_id: 'evt_123456',
  event_type: 'user_signup',
  user_id: 'user_abc123',
  timestamp: '2026-11-26T10:00:00Z',
  metadata: { source: 'organic', email: 'test@example.com' },
};

function issuesOf(input: unknown) {
  const verdict = validateEvent(input);
  if (verdict.ok) throw new Error('expected the event to be rejected');
  return verdict.issues;
}

describe('validateEvent', () => {
  it('accepts every sample event in data/day15_sample_events.json, one of each type', () => {
    const samples = JSON.parse(readFileSync('data/day15_sample_events.json', 'utf8')) as { event_type: string }[];
    expect(new Set(samples.map((s) => s.event_type))).toEqual(new Set(eventTypes));
    for (const sample of samples) expect(validateEvent(sample)).toEqual({ ok: true, event: sample });
  });

  it('accepts the minimal envelope of the original spec (no user_id, no metadata)', () => {
    expect(
      validateEvent({ event_id: 'evt_002', event_type: 'subscription_created', timestamp: '2025-12-16T10:01:00Z' }).ok,
    ).toBe(true);
  });

  it('accepts extra metadata fields and the receiver-stamped received_at', () => {
    expect(
      validateEvent({ ...valid, received_at: '2026-11-26T10:00:00.123Z', metadata: { source: 'ads', campaign: 'x' } })
        .ok,
    ).toBe(true);
  });

  it('names every missing required field', () => {
    expect(issuesOf({})).toEqual([
      { path: '/event_id', message: 'is required' },
      { path: '/event_type', message: 'is required' },
      { path: '/timestamp', message: 'is required' },
    ]);
  });

  it('lists the allowed types for an unknown event_type', () => {
    expect(issuesOf({ ...valid, event_type: 'user_deleted' })).toEqual([
      { path: '/event_type', message: `must be one of: ${eventTypes.join(', ')}` },
    ]);
  });

  it('rejects unknown top-level fields by name', () => {
    expect(issuesOf({ ...valid, extra: 1 })).toEqual([{ path: '/extra', message: 'is not an allowed field' }]);
  });

  it.each([
    ['an event_id with spaces', { event_id: 'evt 1' }, '/event_id'],
    ['an empty event_id', { event_id: '' }, '/event_id'],
    ['an event_id over 200 chars', { event_id: 'e'.repeat(201) }, '/event_id'],
    ['a timestamp without a time zone', { timestamp: '2026-11-26T10:00:00' }, '/timestamp'],
    ['a timestamp that is not a date', { timestamp: 'yesterday' }, '/timestamp'],
    ['a numeric user_id', { user_id: 42 }, '/user_id'],
    ['metadata that is an array', { metadata: [] }, '/metadata'],
  ])('rejects %s', (_label, change, path) => {
    expect(issuesOf({ ...valid, ...change }).map((issue) => issue.path)).toEqual([path]);
  });

  it.each([
    ['subscription_created', { amount: '10' }, '/metadata/amount', 'must be number'],
    ['subscription_created', { amount: -1 }, '/metadata/amount', 'must be >= 0'],
    ['subscription_updated', { billing_cycle: 'weekly' }, '/metadata/billing_cycle', 'must be one of: monthly, annual'],
    [
      'subscription_created',
      { currency: 'usd' },
      '/metadata/currency',
      'must be an ISO 4217 currency code, e.g. USD, EUR, GBP',
    ],
    [
      'subscription_updated',
      { currency: 'XYZ' },
      '/metadata/currency',
      'must be an ISO 4217 currency code, e.g. USD, EUR, GBP',
    ],
    ['usage_tracked', { quantity: 1.5 }, '/metadata/quantity', 'must be integer'],
    ['usage_tracked', { duration_ms: -5 }, '/metadata/duration_ms', 'must be >= 0'],
    ['user_signup', { email: 'not-an-email' }, '/metadata/email', 'must be a valid email'],
  ])('types the listed metadata of %s: %j', (eventType, metadata, path, message) => {
    expect(issuesOf({ ...valid, event_type: eventType, metadata })).toEqual([{ path, message }]);
  });

  it('refuses prototype-polluting metadata keys', () => {
    const input = JSON.parse(
      '{"event_id":"e1","event_type":"usage_tracked","timestamp":"2026-11-26T10:00:00Z","metadata":{"__proto__":{"admin":true}}}',
    ) as unknown;
    expect(issuesOf(input)).toEqual([{ path: '/metadata', message: 'is a reserved key name and not allowed' }]);
  });

  it('accepts extra metadata nesting up to three levels and refuses deeper nesting at its path', () => {
    expect(validateEvent({ ...valid, metadata: { a: { b: { c: 1 } }, list: [[1, 'x']] } }).ok).toBe(true);
    expect(issuesOf({ ...valid, metadata: { a: { b: { c: { d: 1 } } } } })).toEqual([
      { path: '/metadata/a/b/c', message: 'is nested too deeply: metadata values nest at most 3 levels' },
    ]);
  });

  it('refuses reserved key names at any metadata level', () => {
    const input = JSON.parse(
      '{"event_id":"e1","event_type":"user_signup","timestamp":"2026-11-26T10:00:00Z","metadata":{"a":{"constructor":1}}}',
    ) as unknown;
    expect(issuesOf(input)).toEqual([{ path: '/metadata/a', message: 'is a reserved key name and not allowed' }]);
  });

  it('returns a verdict, never throws, for any JSON value', () => {
    for (const input of [null, 1, 'x', [], true]) expect(validateEvent(input).ok).toBe(false);
  });
});
