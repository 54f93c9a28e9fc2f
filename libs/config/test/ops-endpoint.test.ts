import { describe, expect, it } from '@jest/globals';
import { opsEndpoint } from '../index.js';

const ops = (host: string, token?: string) => ({ ops: { host, port: 5016, token } });

describe('opsEndpoint: how a tool on this machine reaches the ops listener', () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:5016'],
    ['0.0.0.0', 'http://127.0.0.1:5016'],
    ['::', 'http://[::1]:5016'],
    ['::1', 'http://[::1]:5016'],
    ['ops.internal', 'http://ops.internal:5016'],
  ])('reaches a listener bound to %s at %s', (host, url) => {
    expect(opsEndpoint(ops(host)).url).toBe(url);
  });

  it('sends the configured credential as a bearer token, and nothing without one', () => {
    expect(opsEndpoint(ops('127.0.0.1', 'a-token-of-16-chars')).headers).toEqual({
      Authorization: 'Bearer a-token-of-16-chars',
    });
    expect(opsEndpoint(ops('127.0.0.1')).headers).toEqual({});
  });
});
