import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

test('create, reveal, copy, rotate, end grace, disable, enable, edit and delete a webhook; each step is in the audit log', async ({ page, context, webhooks: hooks, receiver }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const email = await signUpNewUser(page, 'hooks');
  const url = `${receiver.url}/compounds`;

  await hooks.create({ url, description: 'Compound feed', events: ['compound.created'], format: 'axifi' });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  await expect(page.getByRole('heading', { level: 1, name: url })).toBeVisible();
  await expect(page.getByText('Enabled', { exact: true })).toBeVisible();
  const endpointUrl = page.url();

  // It appears in the list with its description, events, format and status.
  await hooks.gotoList();
  const row = hooks.row(url);
  await expect(row).toContainText('Compound feed');
  await expect(row).toContainText('compound.created');
  await expect(row).toContainText('axifi');
  await expect(row).toContainText('Enabled');
  await row.getByRole('link', { name: url }).click();
  await expect(page).toHaveURL(endpointUrl);
  await hooks.tab('Settings');

  // Masked until revealed (Settings tab); Copy puts the revealed text on the clipboard.
  await expect(hooks.secretRows()).toHaveCount(1);
  await expect(hooks.secretRows().first()).toContainText(/whsec_•+/);
  const secret = await hooks.reveal();
  await expect(hooks.secretRows().first()).toContainText(secret.slice(-4));
  await page.getByRole('button', { name: 'Copy' }).first().click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // Rotate with the default 24 h grace: both secrets listed, the vendor header keeps the previous one until the cutover.
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByRole('dialog', { name: 'Rotate secret' }).getByLabel('24 hours', { exact: true })).toBeChecked();
  await page.getByRole('dialog', { name: 'Rotate secret' }).getByRole('button', { name: 'Cancel' }).click();
  await hooks.rotate('24 hours');
  await expect(hooks.secretRows()).toHaveCount(2);
  await expect(page.getByText(/expires in 2[34] h/)).toBeVisible();
  const fresh = (await page.getByTestId('new-secret-value').textContent())!;
  expect(fresh).toMatch(/^whsec_/);
  expect(fresh).not.toBe(secret);
  await expect(page.getByText(/X-Webhook-Signature header signs with the previous secret until/)).toBeVisible();

  // End grace period now: only the new secret is left, and the vendor header uses it.
  await page.getByRole('button', { name: 'End grace period now' }).click();
  await expect(hooks.secretRows()).toHaveCount(1);
  await expect(page.getByText(/X-Webhook-Signature header signs with the current secret/)).toBeVisible();
  await expect(hooks.secretRows().first()).toContainText(fresh.slice(-4));

  // Disable shows why; Enable re-enables.
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page.getByText('Disabled', { exact: true })).toBeVisible();
  await expect(page.getByText(`Disabled by ${email}.`)).toBeVisible();
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page.getByText('Enabled', { exact: true })).toBeVisible();
  await expect(page.getByText(`Disabled by ${email}.`)).toHaveCount(0);

  // Edit: description, events, format, a custom header and a rate limit; kept after a reload.
  await page.getByLabel('Description').fill('Compound feed (v2)');
  await page.getByLabel('All events').check();
  await page.getByLabel('standard', { exact: true }).check();
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByLabel('Header name 1').fill('X-Api-Key');
  await page.getByLabel('Header value 1').fill('k-123');
  await page.getByLabel('Rate limit').fill('25');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Description')).toHaveValue('Compound feed (v2)');
  await expect(page.getByLabel('All events')).toBeChecked();
  await expect(page.getByLabel('standard', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Header name 1')).toHaveValue('X-Api-Key');
  // Header values are secrets: masked until revealed (audited).
  await expect(page.getByLabel('Header value 1')).toHaveValue('••••••');
  await page.getByRole('button', { name: 'Reveal values' }).click();
  await expect(page.getByLabel('Header value 1')).toHaveValue('k-123');
  await expect(page.getByLabel('Rate limit')).toHaveValue('25');
  await expect(page.getByText(/header signs with the/)).toHaveCount(0);

  // A refused edit says why beside the field and keeps what was typed.
  await page.getByLabel('Header name 1').fill('Webhook-Signature');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(/"Webhook-Signature" is set by Hookrelay/)).toBeVisible();
  await expect(page.getByLabel('Header name 1')).toHaveValue('Webhook-Signature');
  await page.getByRole('button', { name: 'Remove header 1' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();

  // Delete asks first, naming the URL.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete webhook?' });
  await expect(dialog).toContainText(url);
  await dialog.getByRole('button', { name: 'Delete webhook' }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByText('No webhooks yet')).toBeVisible();
  await page.goto(endpointUrl);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();

  // Every step is in the audit log, newest first.
  const actions = await hooks.auditActions();
  expect(actions).toEqual([
    'endpoint.deleted',
    'endpoint.updated',
    'endpoint.headers_revealed',
    'endpoint.updated',
    'endpoint.enabled',
    'endpoint.disabled',
    'secret.grace_ended',
    'secret.rotated',
    'secret.revealed',
    'endpoint.created',
  ]);
  await expect(page.getByRole('table', { name: 'Audit log' })).toContainText(email);
});

test('a refused URL shows the guard message under Endpoint URL, keeps what was typed and creates nothing', async ({ page, webhooks: hooks, receiver }) => {
  await signUpNewUser(page, 'refused');
  const url = `http://127.0.0.1:${receiver.port}/plain`;
  await hooks.create({ url, description: 'Plain HTTP', events: ['compound.created'], headers: { 'X-Team': 'chem' }, rateLimit: 5 });
  await expect(page.getByText(/only https:\/\/ URLs are accepted/i)).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/webhooks\/new$/);
  await expect(page.getByLabel('Endpoint URL')).toHaveValue(url);
  await expect(page.getByLabel('Endpoint URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Description')).toHaveValue('Plain HTTP');
  await expect(page.getByLabel('compound.created', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Header value 1')).toHaveValue('chem');
  await expect(page.getByLabel('Rate limit')).toHaveValue('5');

  // Several problems at once are all shown: no events chosen, and still the URL.
  await page.getByLabel('compound.created', { exact: true }).uncheck();
  await page.getByRole('button', { name: 'Create Webhook' }).click();
  await expect(page.getByText('Choose at least one event type (or all of them).')).toBeVisible();
  await expect(page.getByText(/only https:\/\/ URLs are accepted/i)).toBeVisible();
  await page.getByLabel('Endpoint URL').fill(receiver.url);
  await page.getByRole('button', { name: 'Create Webhook' }).click();
  await expect(page.getByText(/only https:\/\/ URLs are accepted/i)).toHaveCount(0);
  await expect(page.getByText('Choose at least one event type (or all of them).')).toBeVisible();

  await hooks.gotoList();
  await expect(page.getByText('No webhooks yet')).toBeVisible();
  expect(await hooks.auditActions()).toEqual([]);
});

test('an endpoint the delivery engine disabled (410 Gone) says why on both pages, and Enable turns it back on', async ({ page, webhooks: hooks, receiver: gone }) => {
  gone.fallback = { kind: 'status', status: 410 };
  await signUpNewUser(page, 'gone');
  await hooks.create({ url: gone.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointUrl = page.url();
  await hooks.tab('Testing');
  await page.getByRole('button', { name: 'Send test event' }).click();
  await gone.waitFor(1);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Disabled', { exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText('The endpoint answered 410 Gone')).toBeVisible();

  await hooks.gotoList();
  await expect(hooks.row(gone.url)).toContainText('Disabled');
  await expect(hooks.row(gone.url)).toContainText('The endpoint answered 410 Gone');

  await page.goto(endpointUrl);
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page.getByText('Enabled', { exact: true })).toBeVisible();
  await expect(page.getByText('The endpoint answered 410 Gone')).toHaveCount(0);
  expect((await hooks.auditActions())[0]).toBe('endpoint.enabled');
});
