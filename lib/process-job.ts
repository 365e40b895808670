// One instance of a background job per process, shared through globalThis (so Next's bundled copy of lib/ and the
// server's agree): `start` starts it once and later calls return it; `stop` stops it if it runs.
export function processJob<J extends { stop(): Promise<void> }>(key: string, create: () => J): { start(): J; stop(): Promise<void> } {
  const g = globalThis as unknown as Record<string, J | undefined>;
  return {
    start: () => (g[key] ??= create()),
    async stop() {
      const job = g[key];
      g[key] = undefined;
      await job?.stop();
    },
  };
}
