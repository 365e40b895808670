import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { test, expect } from './fixtures';
import { AuthPage } from './pages/auth';
import { DeliveriesPage } from './pages/deliveries';

// `npm run demo` on its own port and data folder: within 90 s of printing its sign-in line, the Events log shows a
// delivery that succeeded at once, one that failed and then succeeded on a retry, and the one the demo replayed;
// Ctrl-C (SIGINT) then stops the server and every receiver.

const PORT = Number(process.env.DEMO_TEST_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1);
const DATA_DIR = `.test-data/demo-${Date.now()}`;

let demo: ChildProcess | undefined;
let output = '';

// Whatever happened, stop the demo and everything it started (they share its process group): Ctrl-C, then SIGKILL.
test.afterAll(async () => {
  if (!demo?.pid || demo.exitCode !== null || demo.signalCode !== null) return;
  process.kill(-demo.pid, 'SIGINT');
  const exited = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 10_000);
    demo!.once('exit', () => { clearTimeout(t); resolve(true); });
  });
  if (!exited) process.kill(-demo.pid, 'SIGKILL');
});

const portOpen = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

test('npm run demo shows a succeeded, a retried and a replayed delivery in the Events log within 90 s, and Ctrl-C stops it all', async ({ browser }) => {
  test.setTimeout(300_000);
  demo = spawn('npm', ['run', 'demo'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(PORT), DATA_DIR, NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next-test', DATABASE_URL: '' },
  });
  demo.stdout!.on('data', (b: Buffer) => { output += b.toString(); });
  demo.stderr!.on('data', (b: Buffer) => { output += b.toString(); });

  await expect.poll(() => output, { timeout: 150_000, intervals: [500] }).toMatch(/sign in as (\S+) with the password (\S+)/);
  expect(output).toMatch(/Retry schedule for this run: 5, 10, 20 s/);
  const [, email, password] = output.match(/sign in as (\S+) with the password (\S+)/)!;
  const ready = Date.now();

  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${PORT}` });
  const page = await context.newPage();
  await new AuthPage(page).signIn(email!, password!);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  const dl = new DeliveriesPage(page);
  // The flaky receiver's endpoint, from its URL in the demo's output and the Webhooks list.
  const flakyUrl = output.match(/flaky \((https:\/\/[^)]+)\)/)![1]!;
  const flakyHref = await page.getByRole('link', { name: flakyUrl, exact: true }).getAttribute('href');
  const flakyId = flakyHref!.split('/').pop()!;

  const rowsOf = async (query: string) => {
    await page.goto(`/events?${query}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    return dl.rows().evaluateAll((trs) => trs.map((tr) => ({ status: tr.getAttribute('data-status'), text: tr.textContent ?? '' })));
  };
  const attemptsOf = (t: string) => Number(t.match(/(\d+) attempts?/)?.[1] ?? 0);
  // Polls the Events log until it holds all four kinds, 90 s at most after the demo was ready.
  const seen = async () => {
    const all = await rowsOf('');
    const flaky = await rowsOf(`endpointId=${flakyId}`);
    const replayed = output.match(/Replayed delivery dlv_\w+ of (evt_\w+)/)?.[1];
    return {
      succeeded: all.some((r) => r.status === 'succeeded' && attemptsOf(r.text) === 1),
      retried: flaky.some((r) => r.status === 'succeeded' && attemptsOf(r.text) > 1 && !(replayed && r.text.includes(replayed))),
      failed: flaky.some((r) => r.status === 'failed'),
      replayed: !!replayed && flaky.some((r) => r.text.includes(replayed) && r.status === 'succeeded'),
    };
  };
  await expect.poll(seen, { timeout: Math.max(1000, 90_000 - (Date.now() - ready)), intervals: [3000] })
    .toEqual({ succeeded: true, retried: true, failed: true, replayed: true });
  await context.close();

  // Ctrl-C: the demo, its server and its receivers all stop; the port is free again.
  process.kill(-demo.pid!, 'SIGINT');
  await expect.poll(() => demo!.exitCode !== null || demo!.signalCode !== null, { timeout: 20_000 }).toBe(true);
  await expect.poll(() => portOpen(PORT), { timeout: 10_000 }).toBe(false);
  const receiverPorts = [...output.matchAll(/https:\/\/127\.0\.0\.1:(\d+)\/webhook/g)].map((m) => Number(m[1]));
  expect(receiverPorts.length).toBeGreaterThanOrEqual(4);
  for (const p of new Set(receiverPorts)) expect(await portOpen(p)).toBe(false);
});

test('npm run demo refuses DATABASE_URL without --force, and a DATA_DIR that holds data', async () => {
  const run = (env: Record<string, string>) => new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn('node_modules/.bin/tsx', ['scripts/demo.ts'], { env: { ...process.env, PORT: String(PORT), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    p.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    p.on('exit', (code) => resolve({ code, out }));
  });
  const pg = await run({ DATABASE_URL: 'postgres://someone@db.example.com/prod', DATA_DIR: `${DATA_DIR}-refused` });
  expect(pg.code).toBe(1);
  expect(pg.out).toContain('DATABASE_URL is set');
  expect(pg.out).toContain('--force');
  const full = await run({ DATABASE_URL: '', DATA_DIR: 'e2e' });
  expect(full.code).toBe(1);
  expect(full.out).toMatch(/DATA_DIR .* is not empty/);
});
