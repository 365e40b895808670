import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

// The README's screenshots (docs/*.png). Run by `npm run screenshots` only, never by `npm test`, so a test run leaves
// the work tree clean.
test.skip(!process.env.HOOKRELAY_SCREENSHOTS, 'run by `npm run screenshots`');

test('README screenshots', async ({ page, webhooks: hooks, deliveries: dl, receiver, newReceiver }) => {
  test.setTimeout(180_000);
  const flaky = await newReceiver();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUpNewUser(page, 'acme');
  await hooks.create({ url: `${flaky.url}/hooks/inventory`, description: 'Inventory sync (staging)', events: '*', format: 'axle' });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  await hooks.tab('Testing');
  flaky.fallback = { kind: 'status', status: 503, body: 'maintenance' };
  await expect((await dl.sendTestEvent({ type: 'investigation.updated' })).getByText('HTTP 503')).toBeVisible({ timeout: 15_000 });

  await hooks.create({ url: `${receiver.url}/webhooks/orders`, description: 'Order events for the billing service', events: ['compound.created'], format: 'standard' });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpoint = page.url();
  await hooks.tab('Testing');
  for (let i = 0; i < 3; i++) {
    await expect((await dl.sendTestEvent()).getByText('HTTP 200')).toBeVisible({ timeout: 15_000 });
    await expect.poll(() => receiver.requests.length).toBe(i + 1);
  }
  receiver.fallback = { kind: 'status', status: 500, body: 'database is down' };
  await expect((await dl.sendTestEvent()).getByText('HTTP 500')).toBeVisible({ timeout: 15_000 });
  receiver.fallback = { kind: 'ok' };
  await expect((await dl.sendTestEvent()).getByText('HTTP 200')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => receiver.requests.length).toBe(5);

  await page.goto(endpoint);
  await expect(page.getByText('5 attempts, 4 succeeded.').first()).toBeVisible();
  await page.screenshot({ path: 'docs/endpoint-overview.png' });

  await page.goto('/events');
  await expect(dl.rows()).toHaveCount(6);
  await page.screenshot({ path: 'docs/events-log.png' });

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${endpoint}/deliveries`);
  await expect(dl.rows()).toHaveCount(5);
  await page.screenshot({ path: 'docs/endpoint-deliveries-dark.png' });
});
