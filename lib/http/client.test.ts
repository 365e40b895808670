import { describe, expect, it } from 'vitest';
import { clientAddress, isHttpsRequest, peerHeaderName } from './client';

const h = (o: Record<string, string>) => new Headers(o);

describe('client address and scheme', () => {
  it('uses the socket (the per-process peer header) and ignores forwarded headers unless TRUST_PROXY', () => {
    const headers = h({ [peerHeaderName()]: '::ffff:10.0.0.7 http', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' });
    expect(clientAddress(headers, false)).toBe('10.0.0.7');
    expect(isHttpsRequest(headers, false)).toBe(false);
    expect(clientAddress(headers, true)).toBe('6.6.6.6');
    expect(isHttpsRequest(headers, true)).toBe(true);
    expect(isHttpsRequest(h({ [peerHeaderName()]: '10.0.0.7 https' }), false)).toBe(true);
  });

  it('takes the left-most X-Forwarded-For entry behind a trusted proxy, and falls back to the socket', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1', [peerHeaderName()]: '10.0.0.1 http' }), true)).toBe('203.0.113.9');
    expect(clientAddress(h({ [peerHeaderName()]: '10.0.0.1 http' }), true)).toBe('10.0.0.1');
    expect(clientAddress(h({ 'x-hookrelay-peer': '1.1.1.1 https' }), false)).toBe('unknown'); // a forged, guessed name
  });
});
