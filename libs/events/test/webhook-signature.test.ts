import { describe, expect, it } from '@jest/globals';
import { decodeSecret, signPayload, verifySignature } from '../index.js';

// The example from the Standard Webhooks specification's test vectors.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = '1614265330';
const body = Buffer.from('{"test": 2432232314}');
const knownSignature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const now = 1614265330_000;
const check = { keys: [decodeSecret(secret)], toleranceMs: 300_000, now };

describe('verifySignature (Standard Webhooks)', () => {
  it('accepts the specification example signature', () => {
    expect(signPayload(decodeSecret(secret), id, timestamp, body)).toBe(knownSignature.slice(3));
    expect(verifySignature({ id, timestamp, signature: knownSignature }, body, check)).toBe('valid');
  });

  it('accepts any matching entry among several space-separated signatures', () => {
    expect(verifySignature({ id, timestamp, signature: `v1,Zm9v v2,abc ${knownSignature}` }, body, check)).toBe(
      'valid',
    );
  });

  it('accepts a signature made with any of the rotated secrets', () => {
    const keys = [decodeSecret('whsec_bmV3LXNlY3JldA=='), decodeSecret(secret)];
    expect(verifySignature({ id, timestamp, signature: knownSignature }, body, { ...check, keys })).toBe('valid');
  });

  it('refuses a tampered body, a wrong id and a missing header', () => {
    expect(
      verifySignature({ id, timestamp, signature: knownSignature }, Buffer.from('{"test": 2432232315}'), check),
    ).toBe('invalid_signature');
    expect(verifySignature({ id: 'msg_other', timestamp, signature: knownSignature }, body, check)).toBe(
      'invalid_signature',
    );
    expect(verifySignature({ id, timestamp, signature: undefined }, body, check)).toBe('invalid_signature');
    expect(verifySignature({ id, timestamp: 'soon', signature: knownSignature }, body, check)).toBe(
      'invalid_signature',
    );
  });

  it('refuses a timestamp outside the tolerance, in the past or the future', () => {
    expect(verifySignature({ id, timestamp, signature: knownSignature }, body, { ...check, now: now + 300_001 })).toBe(
      'stale_timestamp',
    );
    expect(verifySignature({ id, timestamp, signature: knownSignature }, body, { ...check, now: now - 300_001 })).toBe(
      'stale_timestamp',
    );
    expect(verifySignature({ id, timestamp, signature: knownSignature }, body, { ...check, now: now + 299_000 })).toBe(
      'valid',
    );
  });
});
