import { expect, type Page } from '@playwright/test';

// A fresh, unique email per call so specs never collide.
export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

// The sign-up and sign-in pages, as a person uses them.
export class AuthPage {
  constructor(private page: Page) {}

  async signUp(email: string, password = 'correct horse battery') {
    await this.page.goto('/sign-up');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign up' }).click();
  }

  async signIn(email: string, password = 'correct horse battery') {
    await this.page.goto('/sign-in');
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }
}

// Signs up a new user and waits for Settings → Webhooks.
export async function signUpNewUser(page: Page, tag = 'user'): Promise<string> {
  const email = uniqueEmail(tag);
  await new AuthPage(page).signUp(email);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  return email;
}
