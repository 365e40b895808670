import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export type TestCa = { caPem: string; certPem: string; keyPem: string; expiredCertPem: string; expiredKeyPem: string; dir: string };

let cached: TestCa | undefined;

// The throw-away CA made by scripts/make-test-ca.sh (the test command makes it and exports NODE_EXTRA_CA_CERTS).
export function testCa(): TestCa {
  if (cached) return cached;
  const dir = path.resolve(process.env.HOOKRELAY_TEST_CA_DIR ?? '.test-data/ca');
  if (!existsSync(path.join(dir, 'expired.pem'))) {
    execFileSync('bash', [path.resolve('scripts/make-test-ca.sh'), dir], { stdio: 'inherit' });
  }
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  cached = {
    dir,
    caPem: read('ca.pem'),
    certPem: read('server.pem'),
    keyPem: read('server-key.pem'),
    expiredCertPem: read('expired.pem'),
    expiredKeyPem: read('expired-key.pem'),
  };
  return cached;
}
