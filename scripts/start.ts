// `npm start`: check the configuration, build when there is no build, then serve on HOST:PORT in this process
// (server.ts: the API from lib/api, everything else through Next). `--dev` serves Next in development mode, unbuilt.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseEnv, EnvError } from '@/lib/env';

const dev = process.argv.includes('--dev');
process.env.NEXT_TELEMETRY_DISABLED = '1';
let e;
try {
  e = parseEnv();
} catch (err) {
  if (err instanceof EnvError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const distDir = process.env.NEXT_DIST_DIR || '.next';
if (!dev && !existsSync(path.join(distDir, 'BUILD_ID'))) {
  console.log('No build found: building Hookrelay (about 15 s)…');
  const r = spawnSync(path.resolve('node_modules/.bin/next'), ['build'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(
  e.mode === 'embedded'
    ? `Embedded database in ${path.resolve(e.DATA_DIR)}; the delivery worker runs inside this server.`
    : `Server mode: PostgreSQL from DATABASE_URL; ${e.WEBHOOK_WORKER === 'on' ? 'this server also runs a worker' : 'no worker in this server (WEBHOOK_WORKER=off)'}.`,
);
// next-auth and Next read these from the environment; embedded mode generated them into DATA_DIR.
Object.assign(process.env, { AUTH_SECRET: e.AUTH_SECRET, WEBHOOK_ENCRYPTION_KEY: e.WEBHOOK_ENCRYPTION_KEY });
(process.env as Record<string, string>).NODE_ENV = dev ? 'development' : 'production';

const { startServer } = await import('@/server');
await startServer({ dev }).catch((err: unknown) => {
  console.error('Hookrelay could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
