import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { peerHeaderName } from './client';

const shared = globalThis as unknown as { __hookrelayPeerHook?: boolean };

// Copies every incoming request's socket address and TLS state into the per-process peer header (overwriting
// anything a client sent), before Next or any other handler of this process sees the request. Idempotent.
export function installPeerHeaders(): void {
  if (shared.__hookrelayPeerHook) return;
  shared.__hookrelayPeerHook = true;
  const name = peerHeaderName();
  for (const proto of [http.Server.prototype, https.Server.prototype] as { emit: (event: string | symbol, ...args: unknown[]) => boolean }[]) {
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === 'request' || event === 'upgrade') {
        const req = args[0] as http.IncomingMessage;
        const socket = req.socket as TLSSocket | undefined;
        req.headers[name] = `${socket?.remoteAddress ?? ''} ${socket?.encrypted ? 'https' : 'http'}`;
      }
      return emit.call(this, event, ...args);
    };
  }
}
