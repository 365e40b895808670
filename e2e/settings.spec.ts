import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

// Picks an organization in the sidebar and switches to it; the switch lands on that organization's webhooks.
async function switchOrganization(page: Page, label: string) {
  await page.getByLabel('Organization').selectOption({ label });
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Switch' }).click(),
  ]);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByLabel('Organization').locator('option:checked')).toHaveText(label);
}

const SCHEMA = JSON.stringify({ type: 'object', properties: { amount: { type: 'integer', minimum: 1 }, currency: { type: 'string' } }, required: ['amount', 'currency'] }, null, 2);

test('event types: a bad sample is refused beside the field, a good one is added; a deprecated type is not offered on Create Webhook', async ({ page, webhooks }) => {
  await signUpNewUser(page, 'types');
  await page.goto('/settings/event-types');
  await expect(page.getByRole('heading', { level: 1, name: 'Event types' })).toBeVisible();
  // The seeded catalog, with schema and sample as pretty JSON.
  const seeded = page.getByRole('listitem').filter({ hasText: 'compound.created' });
  await expect(seeded.locator('pre').first()).toContainText('"type": "object"');
  await expect(seeded.locator('pre').nth(1)).toContainText('"name": "Aspirin"');

  const form = page.getByRole('form', { name: 'Add event type' });
  await form.getByLabel('Name').fill('order.paid');
  await form.getByLabel('Description').fill('An order was paid.');
  await form.getByLabel('JSON Schema').fill('{ "type": "object", ');
  await form.getByLabel('Sample').fill('{"amount": 0, "currency": "EUR"}');
  await form.getByRole('button', { name: 'Add event type' }).click();
  await expect(form.getByText(/The JSON Schema is not valid JSON/)).toBeVisible();

  await form.getByLabel('JSON Schema').fill(SCHEMA);
  await form.getByRole('button', { name: 'Add event type' }).click();
  await expect(form.getByText(/The sample does not match the schema: \/amount must be >= 1/)).toBeVisible();
  await expect(form.getByLabel('Name')).toHaveValue('order.paid');
  await expect(page.getByRole('listitem').filter({ hasText: 'order.paid' })).toHaveCount(0);

  await form.getByLabel('Sample').fill('{"amount": 1250, "currency": "EUR"}');
  await form.getByRole('button', { name: 'Add event type' }).click();
  await expect(form.getByText('Event type order.paid added.')).toBeVisible();
  const card = page.getByRole('listitem').filter({ hasText: 'order.paid' });
  await expect(card).toContainText('An order was paid.');
  await expect(card.locator('pre').nth(1)).toContainText('"amount": 1250');

  // Edit the description.
  await card.getByRole('button', { name: 'Edit order.paid' }).click();
  await card.getByLabel('Description').fill('An order was paid in full.');
  await card.getByRole('button', { name: 'Save changes' }).click();
  await expect(card).toContainText('An order was paid in full.');

  // Offered on Create Webhook while current...
  await page.goto('/settings/webhooks/new');
  await expect(page.getByLabel('order.paid', { exact: true })).toBeVisible();

  // ...and not once deprecated.
  await page.goto('/settings/event-types');
  await card.getByRole('button', { name: 'Deprecate order.paid' }).click();
  await expect(card.getByText('deprecated', { exact: true })).toBeVisible();
  await page.goto('/settings/webhooks/new');
  await expect(page.getByLabel('compound.created', { exact: true })).toBeVisible();
  await expect(page.getByLabel('order.paid', { exact: true })).toHaveCount(0);

  // Restore brings it back.
  await page.goto('/settings/event-types');
  await card.getByRole('button', { name: 'Restore order.paid' }).click();
  await expect(card.getByText('deprecated', { exact: true })).toHaveCount(0);

  const actions = await webhooks.auditActions();
  expect(actions).toEqual(['event_type.undeprecated', 'event_type.deprecated', 'event_type.updated', 'event_type.created']);
});

test('members: an admin adds a signed-up user as viewer, who sees the organization read-only after switching to it', async ({ page, auth, webhooks: hooks }) => {
  const viewerEmail = await signUpNewUser(page, 'viewer');
  await auth.signOut();

  const ownerEmail = await signUpNewUser(page, 'owner');
  await hooks.create({ url: 'https://127.0.0.1:9/orders', events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_/);

  await page.goto('/settings/members');
  const add = page.getByRole('form', { name: 'Add member' });
  await add.getByLabel('Email').fill('nobody-here@example.com');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByText('No user with that email has signed up yet; ask them to sign up first, then add them.')).toBeVisible();

  await add.getByLabel('Email').fill(viewerEmail);
  await add.getByLabel('Role').selectOption('viewer');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByText(`${viewerEmail} added as viewer.`)).toBeVisible();
  const viewerRow = page.getByRole('row').filter({ hasText: viewerEmail });
  await expect(viewerRow.getByRole('combobox', { name: `Role of ${viewerEmail}` })).toHaveValue('viewer');

  // The last owner cannot step down.
  const ownerRow = page.getByRole('row').filter({ hasText: ownerEmail });
  await ownerRow.getByRole('combobox', { name: `Role of ${ownerEmail}` }).selectOption('admin');
  await ownerRow.getByRole('button', { name: `Save role of ${ownerEmail}` }).click();
  await expect(ownerRow.getByText('An organization needs at least one owner; make someone else owner first.')).toBeVisible();

  // Change the viewer to developer and back, to show Save works.
  await viewerRow.getByRole('combobox', { name: `Role of ${viewerEmail}` }).selectOption('developer');
  await viewerRow.getByRole('button', { name: `Save role of ${viewerEmail}` }).click();
  await expect(viewerRow.getByText('Role saved.')).toBeVisible();
  await page.reload();
  await expect(viewerRow.getByRole('combobox', { name: `Role of ${viewerEmail}` })).toHaveValue('developer');
  await viewerRow.getByRole('combobox', { name: `Role of ${viewerEmail}` }).selectOption('viewer');
  await viewerRow.getByRole('button', { name: `Save role of ${viewerEmail}` }).click();
  await expect(viewerRow.getByText('Role saved.')).toBeVisible();
  await auth.signOut();

  // The viewer lands in their own organization, then switches to the owner's.
  await auth.signIn(viewerEmail);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByRole('link', { name: 'Create Webhook' }).first()).toBeVisible();
  const ownerOrg = `${ownerEmail.split('@')[0]}'s organization (viewer)`;
  await switchOrganization(page, ownerOrg);
  await expect(page.getByText('https://127.0.0.1:9/orders')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create Webhook' })).toHaveCount(0);
  await expect(page.getByText(/You are a viewer in this organization/)).toBeVisible();

  // The endpoint page is read-only: no Save, Reveal, Rotate, Disable or Delete.
  await page.getByRole('link', { name: 'https://127.0.0.1:9/orders' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'https://127.0.0.1:9/orders' })).toBeVisible();
  await hooks.tab('Settings');
  await expect(page.getByLabel('Endpoint URL')).toBeDisabled();
  for (const name of ['Save changes', 'Reveal', 'Rotate secret', 'Disable', 'Delete']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(page.getByText(/whsec_•+/)).toBeVisible();

  await page.goto('/settings/webhooks/new');
  await expect(page.getByText('Your role (viewer) cannot create webhooks; ask a developer, admin or owner of this organization.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create Webhook' })).toHaveCount(0);

  await page.goto('/settings/members');
  await expect(page.getByRole('form', { name: 'Add member' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: ownerEmail })).toContainText('owner');

  await page.goto('/settings/event-types');
  await expect(page.getByRole('form', { name: 'Add event type' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Deprecate/ })).toHaveCount(0);

  // Switching back to their own organization gives the controls back.
  const ownOrg = `${viewerEmail.split('@')[0]}'s organization (owner)`;
  await switchOrganization(page, ownOrg);
  await expect(page.getByRole('link', { name: 'Create Webhook' }).first()).toBeVisible();
});
