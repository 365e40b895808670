import { expect, type Locator, type Page } from '@playwright/test';

// Settings → Members, as a person uses it.
export class MembersPage {
  constructor(private page: Page) {}

  // The Add member form.
  addForm(): Locator {
    return this.page.getByRole('form', { name: 'Add member' });
  }

  // Opens Settings → Members and adds a signed-up user with a role; waits for "<email> added as <role>."
  async add(email: string, role: 'owner' | 'admin' | 'developer' | 'viewer') {
    await this.page.goto('/settings/members');
    const add = this.addForm();
    await add.getByLabel('Email').fill(email);
    await add.getByLabel('Role').selectOption(role);
    await add.getByRole('button', { name: 'Add member' }).click();
    await expect(add.getByText(`${email} added as ${role}.`)).toBeVisible();
  }
}
