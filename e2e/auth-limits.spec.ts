import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

// Issue 14 item 2: failed sign-ins are limited per email on both paths, with the time to try again.
test('the 11th wrong password through POST /api/auth/callback/credentials is refused with the retry time, and so is the form', async ({ page, playwright, baseURL, auth }) => {
  const email = await signUpNewUser(page, 'limits');
  const api = await playwright.request.newContext({ baseURL });
  const { csrfToken } = (await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const attempt = (password: string) =>
    api.post('/api/auth/callback/credentials', { form: { email, password, csrfToken, callbackUrl: '/settings/webhooks' }, maxRedirects: 0 });

  for (let i = 1; i <= 10; i++) {
    const r = await attempt(`wrong password ${i}`);
    expect(r.status(), `attempt ${i}`).toBe(302);
    expect(r.headers()['location']).toContain('error=CredentialsSignin');
  }
  const refused = await attempt('correct horse battery');
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(800);
  expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many failed sign-ins for this email. Try again in 15 minutes.' } });
  await api.dispose();

  // The form's server action shares the count: even the right password is refused now, saying when to come back.
  await auth.signOut();
  await auth.signIn(email);
  await expect(page.getByText('Too many failed sign-ins for this email. Try again in 15 minutes.')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});
