import { expect, type Locator, type Page } from '@playwright/test';

export type NewWebhook = {
  url: string;
  description?: string;
  /** Event type names, or '*' for All events. */
  events: string[] | '*';
  format?: 'standard' | 'axifi' | 'axle';
  headers?: Record<string, string>;
  rateLimit?: number;
};

export type EndpointTab = 'Overview' | 'Deliveries' | 'Testing' | 'Settings' | 'Receiver code';

// Settings → Webhooks, Create Webhook and an endpoint's page, as a person uses them.
export class WebhooksPage {
  constructor(private page: Page) {}

  async gotoList() {
    await this.page.goto('/settings/webhooks');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  }

  // Fills the Create Webhook form and submits it; the caller checks where it lands.
  async create(w: NewWebhook) {
    await this.page.goto('/settings/webhooks/new');
    await this.fillForm(w);
    await this.page.getByRole('button', { name: 'Create Webhook' }).click();
  }

  async fillForm(w: Partial<NewWebhook>) {
    const p = this.page;
    if (w.url !== undefined) await p.getByLabel('Endpoint URL').fill(w.url);
    if (w.description !== undefined) await p.getByLabel('Description').fill(w.description);
    if (w.events === '*') await p.getByLabel('All events').check();
    else for (const e of w.events ?? []) await p.getByLabel(e, { exact: true }).check();
    if (w.format) await p.getByLabel(w.format, { exact: true }).check();
    for (const [name, value] of Object.entries(w.headers ?? {})) {
      await p.getByRole('button', { name: 'Add header' }).click();
      await p.getByPlaceholder('Name').last().fill(name);
      await p.getByPlaceholder('Value').last().fill(value);
    }
    if (w.rateLimit !== undefined) await p.getByLabel('Rate limit').fill(String(w.rateLimit));
  }

  // Opens one of an endpoint's tabs (Overview, Deliveries, Testing, Settings, Receiver code) from its tab bar.
  async tab(name: EndpointTab) {
    const link = this.page.getByRole('navigation', { name: 'Endpoint' }).getByRole('link', { name, exact: true });
    await link.click();
    await expect(link).toHaveAttribute('aria-current', 'page');
  }

  // Presses Pause or Disable on an endpoint's page and waits for the state it then shows.
  async press(button: 'Pause' | 'Disable', shows: 'Paused' | 'Disabled') {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    await expect(this.page.getByText(shows, { exact: true })).toBeVisible();
  }

  // The row of an endpoint in the list, found by its URL.
  row(url: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('link', { name: url, exact: true }) });
  }

  secretRows(): Locator {
    return this.page.getByTestId('secret-row');
  }

  // Reveal: the current secret's full text.
  async reveal(): Promise<string> {
    await this.page.getByRole('button', { name: 'Reveal' }).click();
    const value = this.page.getByTestId('secret-value').first();
    await expect(value).toHaveText(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    return (await value.textContent())!;
  }

  // Rotate secret with a grace period, confirmed in the dialog.
  async rotate(grace: 'End now' | '1 hour' | '24 hours' | '7 days' = '24 hours') {
    await this.page.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Rotate secret' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel(grace, { exact: true }).check();
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    await expect(dialog).toBeHidden();
  }

  // The actions listed on the Audit log page (newest first).
  async auditActions(): Promise<string[]> {
    await this.page.goto('/settings/audit-log');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    const rows = this.page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
    return rows.evaluateAll((trs) => trs.map((tr) => (tr.children[2]?.textContent ?? '').trim()));
  }
}
