// `npm start`: check the configuration, build when there is no build, then serve on HOST:PORT.
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseEnv, EnvError } from '../lib/env';

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

const next = path.resolve('node_modules/.bin/next');
const distDir = process.env.NEXT_DIST_DIR || '.next';
if (!existsSync(path.join(distDir, 'BUILD_ID'))) {
  console.log('No build found: building Hookrelay (about 15 s)…');
  const r = spawnSync(next, ['build'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(
  e.mode === 'embedded'
    ? `Embedded database in ${path.resolve(e.DATA_DIR)}; the delivery worker runs inside this server.`
    : `Server mode: PostgreSQL from DATABASE_URL; ${e.WEBHOOK_WORKER === 'on' ? 'this server also runs a worker' : 'no worker in this server (WEBHOOK_WORKER=off)'}.`,
);
const child = spawn(next, ['start', '-H', e.HOST, '-p', String(e.PORT)], {
  stdio: 'inherit',
  env: { ...process.env, AUTH_SECRET: e.AUTH_SECRET, WEBHOOK_ENCRYPTION_KEY: e.WEBHOOK_ENCRYPTION_KEY },
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
