// Runs `work` while a 5 ms ticker watches the event loop: the wall time and the longest gap between ticks, in ms.
export async function stallDuring(work: () => Promise<unknown>): Promise<{ ms: number; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    stall = Math.max(stall, performance.now() - last);
    last = performance.now();
  }, 5);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  clearInterval(ticker);
  return { ms, stall };
}
