import { chromium, type Browser, type Frame, type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { testCa } from '@/test/ca';
import { startTlsProxy, type TlsProxy } from '@/test/tls-proxy';
import { startPlatformApp, type PlatformApp } from '@/test/platform-app';
import { verifyWebhook } from '@/lib/signing';

// Platform mode end to end: a tiny platform app with its own sign-in frames an embedded portal session; a TLS proxy
// with the test CA fronts both, so the portal cookie really travels as SameSite=None; Secure in a cross-site iframe.
// Ports: E2E_PORT+1 Hookrelay (http), +2 Hookrelay (https), +3 the platform (https://localhost), +4 an origin not
// listed (https://localhost), +5 the platform app (http).
const BASE = Number(process.env.E2E_PORT ?? 3100);
const P = { hookrelay: BASE + 1, hookrelayTls: BASE + 2, platformTls: BASE + 3, unlistedTls: BASE + 4, platform: BASE + 5 };
const PLATFORM_KEY = 'acme-platform-key-0123456789abcdefghijklmnop';
const HOOKRELAY = `https://127.0.0.1:${P.hookrelayTls}`;
const PLATFORM = `https://localhost:${P.platformTls}`;
const UNLISTED = `https://localhost:${P.unlistedTls}`;

let server: ChildProcess | undefined;
let proxies: TlsProxy[] = [];
let app: PlatformApp | undefined;
let browser: Browser;

// Chromium trusts exactly the test certificate's key (no blanket --ignore-certificate-errors, which would also relax other checks).
function spkiHash(certPem: string): string {
  const der = createPublicKey(certPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

async function waitForHealth(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const ca = testCa();
  // the same server `npm start` runs (scripts/start.ts → server.ts: the API and Next on one port)
  server = spawn('node_modules/.bin/tsx', ['scripts/start.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(P.hookrelay),
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next-test',
      NEXT_TELEMETRY_DISABLED: '1',
      DATA_DIR: `${process.env.E2E_DATA_DIR ?? '.test-data/e2e'}-platform`,
      DATABASE_URL: '',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '600,600',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_LEASE_MS: '15000',
      NODE_EXTRA_CA_CERTS: `${ca.dir}/ca.pem`,
      HOOKRELAY_PLATFORM_KEYS: PLATFORM_KEY,
      HOOKRELAY_EMBED_ORIGINS: PLATFORM,
      PUBLIC_URL: HOOKRELAY,
      HOOKRELAY_SIGNUP: 'off',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForHealth(`http://127.0.0.1:${P.hookrelay}/api/health`);
  proxies = [
    await startTlsProxy(P.hookrelayTls, P.hookrelay),
    await startTlsProxy(P.platformTls, P.platform, 'localhost'),
    await startTlsProxy(P.unlistedTls, P.platform, 'localhost'),
  ];
  app = await startPlatformApp({ port: P.platform, hookrelayApi: `http://127.0.0.1:${P.hookrelay}`, platformKey: PLATFORM_KEY, publicOrigin: PLATFORM, hookrelayOrigin: HOOKRELAY });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', `--ignore-certificate-errors-spki-list=${spkiHash(ca.certPem)}`],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await app?.close();
  for (const p of proxies) await p.close();
  if (server?.pid) server.kill('SIGTERM');
});

// Signs in to the platform app and opens its Settings page; answers the page and the portal's frame.
async function openPlatformSettings(email: string): Promise<{ page: Page; frame: Frame; portalUrl: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${PLATFORM}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Acme Cloud · Settings' })).toBeVisible();
  const portalUrl = (await page.locator('iframe[title="Webhooks"]').getAttribute('src'))!;
  expect(portalUrl).toMatch(new RegExp(`^${HOOKRELAY.replace(/\./g, '\\.')}/portal/[A-Za-z0-9_-]{43}$`));
  const inner = page.frameLocator('iframe[title="Webhooks"]');
  await expect(inner.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const frame = page.frames().find((f) => f.url().startsWith(`${HOOKRELAY}/settings/webhooks`))!;
  expect(frame).toBeTruthy();
  return { page, frame, portalUrl };
}

test('an embedded portal in the platform’s Settings page: create a webhook, reveal its secret, send a test event, see it delivered', async ({ receiver }) => {
  test.setTimeout(120_000);
  const { page, frame, portalUrl } = await openPlatformSettings('ann@acme.test');

  // Embedded: tabs along the top, the platform's name, no Members, API keys, org switcher or Sign out.
  const tabs = frame.getByRole('navigation', { name: 'Settings' });
  await expect(tabs.getByRole('link')).toHaveText(['Webhooks', 'Events', 'Event types', 'Audit log']);
  await expect(frame.getByRole('link', { name: 'Back to Acme Cloud' })).toHaveAttribute('href', `${PLATFORM}/settings`);
  await expect(frame.getByText('Sign out')).toHaveCount(0);
  await expect(frame.getByText('Hookrelay', { exact: true })).toHaveCount(0);

  // Create a webhook to the harness receiver, subscribed to the platform's event type.
  await frame.getByRole('link', { name: 'Create Webhook' }).first().click();
  await frame.getByLabel('Endpoint URL').fill(receiver.url);
  await frame.getByLabel('invoice.paid', { exact: true }).check();
  await frame.getByRole('button', { name: 'Create Webhook' }).click();
  await expect.poll(() => frame.url()).toMatch(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointUrl = frame.url();

  // Reveal the secret (Settings tab), send a test event (Testing tab), see it delivered, and check the signature
  // with the revealed secret.
  const endpointTabs = frame.getByRole('navigation', { name: 'Endpoint' });
  await endpointTabs.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect.poll(() => frame.url()).toBe(`${endpointUrl}/settings`);
  await frame.getByRole('button', { name: 'Reveal', exact: true }).click();
  const secretText = frame.getByTestId('secret-value').first();
  await expect(secretText).toHaveText(/^whsec_/);
  const secret = (await secretText.textContent())!;
  await endpointTabs.getByRole('link', { name: 'Testing', exact: true }).click();
  await expect.poll(() => frame.url()).toBe(`${endpointUrl}/testing`);
  await frame.getByLabel('Event type', { exact: true }).selectOption('invoice.paid');
  await frame.getByRole('button', { name: 'Send test event' }).click();
  const result = frame.getByRole('region', { name: 'Test event result' });
  await expect(result.getByText('succeeded')).toBeVisible({ timeout: 20_000 });
  const [got] = await receiver.waitFor(1);
  expect(JSON.parse(got!.body)).toMatchObject({ type: 'invoice.paid', data: { invoiceId: 'inv_1', amount: 4200 } });
  expect(verifyWebhook({ format: 'standard', secrets: [secret], body: got!.body, headers: got!.headers }).ok).toBe(true);

  // The audit log names the portal user as "(via platform)".
  await frame.getByRole('link', { name: 'Audit log' }).click();
  await expect(frame.getByRole('cell', { name: 'ann@acme.test (via platform)' }).first()).toBeVisible();

  // The link itself was single use: opened again, it is the 403 "no longer valid" page.
  const again = await page.context().newPage();
  const answer = await again.goto(portalUrl);
  expect(answer?.status()).toBe(403);
  await expect(again.getByText(/no longer valid/)).toBeVisible();

  // A second tenant's portal user cannot reach the first tenant's endpoint by URL.
  const bob = await openPlatformSettings('bob@beta.test');
  await bob.frame.goto(endpointUrl);
  await expect(bob.frame.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(bob.frame.getByText(receiver.url)).toHaveCount(0);

  // A page of an origin not in HOOKRELAY_EMBED_ORIGINS cannot frame the portal: the browser refuses it.
  const refusals: string[] = [];
  const evil = await page.context().newPage();
  evil.on('console', (m) => refusals.push(m.text()));
  await evil.goto(`${UNLISTED}/evil`);
  await expect.poll(() => refusals.join('\n')).toMatch(/frame-ancestors/);
  await expect(evil.frameLocator('iframe[title="Framed"]').getByRole('heading', { name: 'Webhooks' })).toHaveCount(0);
});

test('a full-page portal session: the platform’s name, no Members or API keys, and ended by the platform at once (403, not sign-in)', async () => {
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${P.hookrelay}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${PLATFORM_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  expect((await api('PUT', '/platform/tenants/cust-full', { name: 'Full page' })).status).toBeLessThan(300);
  const link = await (await api('POST', '/platform/tenants/cust-full/portal-sessions', { user: { id: 'u-9' }, role: 'viewer', returnUrl: `${PLATFORM}/settings` })).json();
  const page = await (await browser.newContext()).newPage();
  await page.goto(link.url);
  await expect(page).toHaveURL(`${HOOKRELAY}/settings/webhooks`);
  const nav = page.getByRole('navigation', { name: 'Settings' });
  await expect(nav.getByRole('link')).toHaveText(['Webhooks', 'Events', 'Event types', 'Audit log']);
  await expect(page.getByText('Acme Cloud', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to Acme Cloud' })).toHaveAttribute('href', `${PLATFORM}/settings`);
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  // a viewer: no Create Webhook; the platform's event type is read-only and says so
  await expect(page.getByRole('link', { name: 'Create Webhook' })).toHaveCount(0);
  await page.goto(`${HOOKRELAY}/settings/event-types`);
  await expect(page.getByText('managed by the platform').first()).toBeVisible();
  for (const path of ['/settings/members', '/settings/api-keys', '/settings/alerts']) {
    await page.goto(`${HOOKRELAY}${path}`);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  }
  // The platform ends the tenant's sessions: the next page is the 403 "no longer valid" page, not sign-in.
  expect((await api('DELETE', '/platform/tenants/cust-full/portal-sessions')).status).toBe(204);
  const ended = await page.goto(`${HOOKRELAY}/settings/webhooks`);
  expect(ended?.status()).toBe(403);
  await expect(page.getByText(/no longer valid/)).toBeVisible();
  await expect(page).not.toHaveURL(/sign-in/);
});
