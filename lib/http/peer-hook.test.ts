import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { installPeerHeaders } from './peer-hook';
import { clientAddress, isHttpsRequest, peerHeaderName } from './client';

describe('installPeerHeaders', () => {
  it("gives handlers the socket's address and scheme, overwriting whatever a client sends", async () => {
    installPeerHeaders();
    installPeerHeaders(); // idempotent
    const seen: { address: string; https: boolean; trusted: string }[] = [];
    const server = http.createServer((req, res) => {
      const headers = new Headers(req.headers as Record<string, string>);
      seen.push({ address: clientAddress(headers, false), https: isHttpsRequest(headers, false), trusted: clientAddress(headers, true) });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/`, {
      headers: { [peerHeaderName()]: '9.9.9.9 https', 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' },
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(seen).toEqual([{ address: '127.0.0.1', https: false, trusted: '6.6.6.6' }]);
  });
});
