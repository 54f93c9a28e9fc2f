import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks verification (https://www.standardwebhooks.com): the sender signs
// `${webhook-id}.${webhook-timestamp}.${raw body}` with HMAC-SHA256 under a base64 secret given as
// `whsec_<base64>`, and sends `v1,<base64 signature>` entries separated by spaces. node:crypto does the
// cryptography; the tolerance is ours to configure (the reference library fixes it at 5 minutes).

/** verifySignature's answer: `stale_timestamp` when the signed time is outside the tolerance, else whether a secret signed it. */
export type SignatureVerdict = 'valid' | 'invalid_signature' | 'stale_timestamp';

/** The `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` headers, as received (maybe absent). */
export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** What verifySignature checks against. */
export interface SignatureCheck {
  /** Decoded secrets; any one of them may have signed (rotation). */
  keys: readonly Buffer[];
  /** How far the signed timestamp may be from `now`, either way. */
  toleranceMs: number;
  /** The current time (ms since the epoch). */
  now: number;
}

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional). */
export function decodeSecret(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** The base64 HMAC-SHA256 signature of `${id}.${timestamp}.${body}`, without the `v1,` prefix. */
export function signPayload(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * Checks a Standard Webhooks signature on the raw body: the timestamp must be within the tolerance and any `v1,`
 * entry must match the signature under any of the keys (compared in constant time). Never throws.
 */
export function verifySignature(
  headers: SignedHeaders,
  body: Buffer,
  { keys, toleranceMs, now }: SignatureCheck,
): SignatureVerdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'invalid_signature';
  if (Math.abs(now - Number(timestamp) * 1000) > toleranceMs) return 'stale_timestamp';
  const offered = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const key of keys) {
    const expected = Buffer.from(signPayload(key, id, timestamp, body), 'base64');
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
      return 'valid';
    }
  }
  return 'invalid_signature';
}
