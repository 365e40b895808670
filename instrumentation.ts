// Runs once when the Next server starts: note each request's socket address for the limits per client, migrate the
// database and, unless WEBHOOK_WORKER=off, start the delivery worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerHeaders } = await import('./lib/http/peer-hook');
  installPeerHeaders();
  const { boot } = await import('./lib/boot');
  await boot();
}
