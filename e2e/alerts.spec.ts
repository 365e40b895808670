import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { signUpNewUser } from './pages/auth';

test('a failing endpoint shows a banner with what to do, on the list and on its page', async ({ page, webhooks: hooks, deliveries: dl, receiver: failing }) => {
  test.setTimeout(90_000);
  failing.fallback = { kind: 'status', status: 500, body: 'database is down' };
  await signUpNewUser(page, 'alerts-banner');
  await hooks.create({ url: failing.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointPage = page.url();
  await expect(page.getByTestId('endpoint-health-banner')).toHaveCount(0);
  await hooks.tab('Testing');
  const result = await dl.sendTestEvent({ type: 'compound.created' });
  await expect(result.getByText('HTTP 500')).toBeVisible({ timeout: 15_000 });

  await page.goto(endpointPage);
  const banner = page.getByTestId('endpoint-health-banner');
  await expect(banner).toContainText('This endpoint is failing (1 failed attempt in a row since');
  await expect(banner).toContainText('Fix the receiver so it answers 2xx');
  await expect(banner).toContainText('Hookrelay disables it on');

  await hooks.gotoList();
  const listBanner = page.getByTestId('endpoints-health-banner');
  await expect(listBanner).toContainText('1 endpoint needs attention');
  await expect(listBanner.getByRole('link', { name: failing.url })).toHaveAttribute('href', endpointPage.replace(/^https?:\/\/[^/]+/, ''));
});

test('Settings → Alerts saves email addresses and an operational webhook, whose secret can be revealed', async ({ page, receiver: ops }) => {
  test.setTimeout(90_000);
  await signUpNewUser(page, 'alerts-page');
  await page.getByRole('link', { name: 'Alerts' }).click();
  await expect(page).toHaveURL(/\/settings\/alerts$/);
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  // the test server runs without SMTP_URL: the page says email alerts are off
  await expect(page.getByTestId('email-off')).toContainText('Email alerts are off');
  // the retention in force (WEBHOOK_RETENTION_DAYS, 30 by default)
  await expect(page.getByTestId('retention')).toContainText('kept for 30 days');

  // a bad address and a plain-HTTP URL are refused at their fields, and nothing is saved
  await page.getByLabel('Email addresses').fill('ops@example.com, not-an-address');
  await page.getByLabel('Operational webhook URL').fill(ops.url.replace('https:', 'http:'));
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /email/i }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Email addresses')).toHaveValue('');

  await page.getByLabel('Email addresses').fill('ops@example.com\noncall@example.com');
  await page.getByLabel('Operational webhook URL').fill(ops.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Alert destinations saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Email addresses')).toHaveValue('ops@example.com\noncall@example.com');
  await expect(page.getByLabel('Operational webhook URL')).toHaveValue(ops.url);
  const card = page.locator('section, div').filter({ has: page.getByRole('heading', { name: 'Operational webhook' }) }).last();
  await expect(card.getByText('Active')).toBeVisible();
  await card.getByRole('button', { name: 'Reveal' }).click();
  await expect(card.getByTestId('secret-value')).toHaveText(/^whsec_[A-Za-z0-9+/=]+$/);

  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // not a customer endpoint: the webhooks list stays empty
  await page.goto('/settings/webhooks');
  await expect(page.getByText('No webhooks yet')).toBeVisible();
});
