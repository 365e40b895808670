import net, { type AddressInfo } from 'node:net';

// A TCP proxy in front of a PostgreSQL server that can go down (every connection cut, new ones refused) and up,
// for tests of what a process does when its database disappears. stall() holds the server's answers back, so a query
// sent after it waits until down() cuts its connection.
export async function pgProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const upstreams = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const cut = () => (client.destroy(), upstream.destroy());
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', cut).on('close', () => (sockets.delete(s), upstreams.delete(upstream), cut()));
    }
    upstreams.add(upstream);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** The URL with the proxy in place of the server. */
    url: (u: string) => {
      const via = new URL(u);
      via.hostname = '127.0.0.1';
      via.port = String(port);
      return via.toString();
    },
    stall() {
      for (const u of upstreams) u.pause();
    },
    async down() {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
    up: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r())),
    close: async () => {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise((r) => server.close(r));
    },
  };
}
