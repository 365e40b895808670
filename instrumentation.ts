// Runs once when the Next server starts: migrate the database and, unless WEBHOOK_WORKER=off, start the delivery worker.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { boot } = await import('./lib/boot');
  await boot();
}
