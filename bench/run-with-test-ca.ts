import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The throw-away CA's certificate that the benches' HTTPS receivers are signed by. */
export const TEST_CA_FILE = path.resolve('.test-data/ca/ca.pem');

// Runs a bench's main with the test CA trusted: Node reads extra CAs only at start, so without it the bench runs
// itself again with NODE_EXTRA_CA_CERTS set. Exits with main's outcome.
export async function runWithTestCa(main: () => Promise<void>): Promise<void> {
  if (path.resolve(process.env.NODE_EXTRA_CA_CERTS ?? '') !== TEST_CA_FILE) {
    const { testCa } = await import('@/test/ca');
    testCa();
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: TEST_CA_FILE } });
    process.exit(r.status ?? 1);
  }
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
