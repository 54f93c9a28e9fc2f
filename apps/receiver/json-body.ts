import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error.js';
import { decodeSecret, verifySignature } from '../../libs/events/index.js';

export interface JsonBodyOptions {
  limitBytes: number;
  secrets: readonly string[];
  toleranceMs: number;
  clock: () => number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// Reads a webhook body in the order a sender can act on: wrong content type (415), too large (413, from
// the raw reader), bad signature (401, checked on the raw bytes), then malformed JSON (400).
// Leaves the parsed value in req.body.
export function jsonBody({ limitBytes, secrets, toleranceMs, clock }: JsonBodyOptions): RequestHandler[] {
  const keys = secrets.map(decodeSecret);
  const requireJson: RequestHandler = (req, _res, next) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return next();
    next(new HttpError({ status: 415, code: 'unsupported_media_type', message: 'Content-Type must be application/json' }));
  };
  const readRaw = express.raw({ type: () => true, limit: limitBytes });
  const parse: RequestHandler = (req, _res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (keys.length > 0) {
      const verdict = verifySignature(
        { id: header(req.headers['webhook-id']), timestamp: header(req.headers['webhook-timestamp']), signature: header(req.headers['webhook-signature']) },
        raw,
        { keys, toleranceMs, now: clock() },
      );
      if (verdict !== 'valid') return next(new HttpError({ status: 401, code: verdict }));
    }
    req.body = parseJson(raw);
    next();
  };
  return [requireJson, readRaw, parse];
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw malformed('Request body is empty');
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    throw malformed('Request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw malformed(`Request body is not valid JSON: ${(error as Error).message}`);
  }
}

function malformed(message: string): HttpError {
  return new HttpError({ status: 400, code: 'malformed_json', message });
}
