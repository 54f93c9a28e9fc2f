import type { IncomingMessage } from 'node:http';
import { verifySignature } from '../../libs/events/index.js';
import { HttpError } from './http-error.js';

/** How to read one webhook body: its size limit, and the secrets and clock its signature is checked with. */
export interface ReadWebhookBodyOptions {
  limitBytes: number;
  /** Decoded Standard Webhooks secrets; empty = no signature check. */
  keys: readonly Buffer[];
  toleranceMs: number;
  now: number;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a webhook's JSON body in the order a sender can act on: wrong content type or encoding (415), too
 * large (413, answered from Content-Length before reading when it is declared; the rest is drained, see
 * tooLarge), bad signature (401, checked on the raw bytes), then malformed JSON (400). Plain node:http, so
 * the hot path carries no framework cost.
 */
export async function readWebhookBody(
  req: IncomingMessage,
  { limitBytes, keys, toleranceMs, now }: ReadWebhookBodyOptions,
): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpError({
      status: 415,
      code: 'unsupported_media_type',
      message: 'Content-Type must be application/json',
    });
  }
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') {
    throw new HttpError({
      status: 415,
      code: 'unsupported_media_type',
      message: `Content-Encoding ${encoding} is not supported`,
    });
  }
  const raw = await readRaw(req, limitBytes);
  if (keys.length > 0) {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const verdict = verifySignature(
      { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') },
      raw,
      { keys, toleranceMs, now },
    );
    if (verdict !== 'valid') throw new HttpError({ status: 401, code: verdict });
  }
  return parseJson(raw);
}

// A sender that uploads an oversized body must read our 413, not a connection reset: an HTTP client whose
// upload fails with EPIPE/ECONNRESET reports a network error, and webhook senders retry those (the same
// oversized body, again and again). So the rest of the body is read and thrown away, like nginx's lingering
// close, and the connection stays usable. Beyond this many bytes the connection is cut: draining is for
// honest mistakes, not a sink for unbounded uploads (the server's request timeout bounds the time too).
const drainLimitBytes = 32 * 1024 * 1024;

function tooLarge(req: IncomingMessage, limitBytes: number, readBytes: number): HttpError {
  let drained = readBytes;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > drainLimitBytes) req.socket.destroy();
  });
  req.resume();
  return new HttpError({
    status: 413,
    code: 'payload_too_large',
    message: `Request body is larger than ${limitBytes} bytes`,
    body: { limit_bytes: limitBytes },
  });
}

function readRaw(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return Promise.reject(tooLarge(req, limitBytes, 0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        reject(tooLarge(req, limitBytes, size));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once('error', () =>
      reject(new HttpError({ status: 400, code: 'bad_request', message: 'Request body was not received completely' })),
    );
  });
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
