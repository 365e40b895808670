import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { AuthPage, signUpNewUser } from './pages/auth';

const PASSWORD = 'correct horse battery';

// A page that needs a session: it shows the dashboard, or sends the visitor to sign-in.
async function signedIn(page: Page): Promise<boolean> {
  await page.goto('/settings/webhooks');
  await expect(page).toHaveURL(/\/settings\/webhooks$|\/sign-in/);
  return !/\/sign-in/.test(page.url());
}

test('Sign out everywhere in one browser ends the session of another browser', async ({ page, browser }) => {
  const email = await signUpNewUser(page, 'everywhere');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await new AuthPage(otherPage).signIn(email);
  await expect(otherPage).toHaveURL(/\/settings\/webhooks$/);

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  expect(await signedIn(otherPage)).toBe(false);
  expect(await signedIn(page)).toBe(false);
  // Signing in again works, and that new session is not ended by the old sign-out.
  await new AuthPage(otherPage).signIn(email);
  await expect(otherPage).toHaveURL(/\/settings\/webhooks$/);
  expect(await signedIn(otherPage)).toBe(true);
  await other.close();
});

test('changing the password needs the current one, ends the other browser’s session and keeps this one', async ({ page, browser, webhooks }) => {
  const email = await signUpNewUser(page, 'password');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await new AuthPage(otherPage).signIn(email);
  await expect(otherPage).toHaveURL(/\/settings\/webhooks$/);

  await page.goto('/settings/account');
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await form.getByLabel('Confirm new password').fill('a brand new passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('This is not your current password.')).toBeVisible();
  expect(await signedIn(otherPage)).toBe(true); // a refused change ends nothing

  await page.goto('/settings/account');
  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await form.getByLabel('Confirm new password').fill('a brand new passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toHaveText('Password changed. Every other session was signed out; this one stays signed in.');
  await expect(page).toHaveURL(/\/settings\/account\?password=changed$/);

  expect(await signedIn(otherPage)).toBe(false);
  expect(await signedIn(page)).toBe(true);
  const auth = new AuthPage(otherPage);
  await auth.signIn(email, PASSWORD);
  await expect(otherPage.getByText('Wrong email or password.')).toBeVisible();
  await auth.signIn(email, 'a brand new passphrase');
  await expect(otherPage).toHaveURL(/\/settings\/webhooks$/);

  const actions = await webhooks.auditActions();
  expect(actions[0]).toBe('account.password_changed');
  await other.close();
});

test('a viewer sees no custom header value: not on the endpoint page, not in an attempt', async ({ page, auth, webhooks: hooks, deliveries: dl, members }) => {
  const SECRET = `Bearer e2e-${Date.now().toString(36)}-s3cret`;
  const viewerEmail = await signUpNewUser(page, 'hdr-viewer');
  await auth.signOut();

  const ownerEmail = await signUpNewUser(page, 'hdr-owner');
  await hooks.create({ url: 'https://127.0.0.1:9/secret-headers', events: ['compound.created'], headers: { Authorization: SECRET } });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointPage = page.url();
  await hooks.tab('Settings');
  // Saving other changes keeps the masked value as it was: nothing to type again.
  await expect(page.getByLabel('Header value 1')).toHaveValue('••••••');
  await page.getByLabel('Description').fill('Orders, with a receiver token');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();
  await page.reload();
  const reveal = page.getByRole('button', { name: 'Reveal values' });
  await expect(async () => {
    // a click before the page is hydrated does nothing: click again until the value shows
    if (await reveal.isVisible()) await reveal.click();
    await expect(page.getByLabel('Header value 1')).toHaveValue(SECRET, { timeout: 2000 });
  }).toPass();
  await hooks.tab('Testing');
  await dl.sendTestEvent({ type: 'compound.created' });
  const eventId = await dl.resultEventId(); // the first attempt has a result (it cannot connect)

  await members.add(viewerEmail, 'viewer');
  await auth.signOut();

  await auth.signIn(viewerEmail);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await page.getByLabel('Organization').selectOption({ label: `${ownerEmail.split('@')[0]}'s organization (viewer)` });
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Switch' }).click()]);
  await expect(page.getByText('https://127.0.0.1:9/secret-headers')).toBeVisible();

  await page.goto(`${endpointPage}/settings`);
  await expect(page.getByLabel('Header name 1')).toHaveValue('Authorization');
  await expect(page.getByLabel('Header value 1')).toHaveValue('••••••');
  await expect(page.getByRole('button', { name: 'Reveal values' })).toHaveCount(0);
  expect(await page.content()).not.toContain('s3cret');

  await page.goto(`${endpointPage}/deliveries`);
  await dl.openDelivery(eventId);
  await expect(dl.attempt(1)).toContainText('Authorization');
  await expect(dl.attempt(1)).toContainText('••••••');
  expect(await page.content()).not.toContain('s3cret');
});
