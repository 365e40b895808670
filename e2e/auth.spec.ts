import { test, expect } from './fixtures';
import { signUpNewUser, uniqueEmail } from './pages/auth';

test('sign up, land on the empty Webhooks page, sign out, get sent to sign-in, sign in again', async ({ page, auth }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);

  const email = await signUpNewUser(page, 'flow');
  await expect(page.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
  await expect(page.getByText('No webhooks yet')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create Webhook' }).first()).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  await auth.signOut();
  await page.goto('/settings/webhooks');
  await expect(page).toHaveURL(/\/sign-in/);

  await auth.signIn(email, 'wrong password!');
  await expect(page.getByText('Wrong email or password.')).toBeVisible();
  await auth.signIn(email);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await expect(page.getByText('No webhooks yet')).toBeVisible();

  await page.goto('/');
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
});

test('bad sign-up input gets a message beside the field and creates nothing', async ({ page, auth }) => {
  await auth.signUp('not-an-email');
  await expect(page.getByText('Enter a valid email address, like you@example.com.')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);

  const email = uniqueEmail('short');
  await auth.signUp(email, 'short');
  await expect(page.getByText('Password must be at least 8 characters.')).toBeVisible();
  // Nothing was created: signing in with that email fails.
  await auth.signIn(email, 'short');
  await expect(page.getByText('Wrong email or password.')).toBeVisible();

  const taken = await signUpNewUser(page, 'taken');
  await auth.signOut();
  await auth.signUp(taken, 'another password');
  await expect(page.getByText('An account with this email already exists. Sign in instead.')).toBeVisible();
  // The original password still works; the second sign-up changed nothing.
  await auth.signIn(taken);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
});
