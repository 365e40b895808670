import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

test('an owner creates an API key, uses it against /api/v1, sees it used, and revokes it', async ({ page, baseURL }) => {
  const email = await signUpNewUser(page, 'apikeys');
  await page.goto('/settings/api-keys');
  await expect(page.getByRole('heading', { name: 'API keys', exact: true })).toBeVisible();
  await expect(page.getByText('No API keys yet')).toBeVisible();

  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByText('Give the key a name, e.g. "Billing service".')).toBeVisible();
  await dialog.getByLabel('Name').fill('CI publisher');
  await dialog.getByLabel('Role').selectOption('developer');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const shown = dialog.getByLabel('New API key');
  await expect(shown).toHaveText(/^hr_[A-Za-z0-9_-]{32}$/);
  const key = (await shown.textContent())!;
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: 'CI publisher' });
  await expect(row).toContainText(`${key.slice(0, 7)}…`);
  await expect(row).toContainText('developer');
  await expect(row).toContainText(email);
  await expect(row).toContainText('Never');
  await expect(page.getByText(key)).toHaveCount(0); // shown once, never listed

  const eventTypes = await fetch(`${baseURL}/api/v1/event-types`, { headers: { authorization: `Bearer ${key}` } });
  expect(eventTypes.status).toBe(200);
  const body = (await eventTypes.json()) as { data: { name: string }[]; nextCursor: string | null };
  expect(body.data.map((t) => t.name)).toEqual(['compound.created', 'investigation.updated']);
  expect(body.nextCursor).toBeNull();

  const anonymous = await fetch(`${baseURL}/api/v1/event-types`);
  expect(anonymous.status).toBe(401);
  expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  const doc = await fetch(`${baseURL}/api/v1/openapi.json`);
  expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.1');

  await page.reload();
  await expect(row).not.toContainText('Never');

  await row.getByRole('button', { name: 'Revoke CI publisher' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “CI publisher”?' });
  await expect(confirm).toContainText(`${key.slice(0, 7)}…`);
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText('No API keys yet')).toBeVisible();

  const revoked = await fetch(`${baseURL}/api/v1/event-types`, { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status).toBe(401);
});

test('a developer of the organization sees a message instead of the keys', async ({ page, auth, members }) => {
  const devEmail = await signUpNewUser(page, 'keysdev');
  await page.goto('/settings/api-keys');
  await auth.signOut();
  const ownerEmail = await signUpNewUser(page, 'keysowner');
  await members.add(devEmail, 'developer');
  await page.goto('/settings/api-keys');
  await auth.signOut();

  await auth.signIn(devEmail);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await page.goto('/settings/api-keys');
  await expect(page.getByRole('button', { name: 'Create API key' })).toBeVisible(); // owner of their own organization
  await page.getByLabel('Organization').selectOption({ label: `${ownerEmail.split('@')[0]}'s organization (developer)` });
  const switched = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Switch' }).click();
  await switched;
  await page.reload(); // the switch answers before the layout re-reads the session; a reload shows the switched organization
  await expect(page.getByText('API keys are managed by admins and owners. Your role is developer')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create API key' })).toHaveCount(0);
});
