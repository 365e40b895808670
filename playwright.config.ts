import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Each run gets a fresh embedded database of its own, never ./data.
const DATA_DIR = process.env.E2E_DATA_DIR ?? `.test-data/e2e-${Date.now()}`;
process.env.E2E_DATA_DIR = DATA_DIR;
const E2E_METRICS_TOKEN = (process.env.E2E_METRICS_TOKEN ??= 'e2e-metrics-token-0123456789abcdef');

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // The same server `npm start` runs (scripts/start.ts → server.ts: the API and Next on one port, the worker inside).
    command: 'node_modules/.bin/tsx scripts/start.ts',
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next-test',
      NEXT_TELEMETRY_DISABLED: '1',
      HOST: '127.0.0.1',
      PORT: String(PORT),
      DATA_DIR,
      DATABASE_URL: '',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      // A first retry long enough that no automatic retry races a replay in the specs.
      WEBHOOK_RETRY_SCHEDULE: '600,600',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_LEASE_MS: '15000',
      // Every spec signs up from 127.0.0.1; failed sign-ins keep their default limit (10 per email, 50 per address).
      AUTH_SIGNUP_LIMIT: '100000',
      // /metrics answers this scraper token (specs read it as E2E_METRICS_TOKEN).
      METRICS_TOKEN: E2E_METRICS_TOKEN,
    },
  },
});
