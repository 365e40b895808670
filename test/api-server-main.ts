// An API-only server process on DATABASE_URL for tests that need a second process (e.g. key revocation across
// processes): prints "api listening on <url>" once it serves.
import { startApiServer } from '@/lib/api/http';
import { getDbHandle } from '@/lib/db';

const server = await startApiServer({ port: Number(process.env.API_PORT ?? 0) });
await getDbHandle();
console.log(`api listening on ${server.url}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
