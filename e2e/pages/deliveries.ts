import { expect, type Locator, type Page } from '@playwright/test';

// The delivery panels of an endpoint's page, a delivery's page and the Events log, as a person uses them.
export class DeliveriesPage {
  constructor(private page: Page) {}

  // The Deliveries table's rows (on an endpoint's page or the Events log), newest first.
  rows(): Locator {
    return this.page.locator('tr[data-delivery-id]');
  }

  // The row of one event's delivery, found by its event id.
  row(eventId: string): Locator {
    return this.rows().filter({ hasText: eventId });
  }

  // Send test event with a type (and optionally edited JSON), and wait for the result panel to appear.
  async sendTestEvent(opts: { type?: string; data?: string } = {}): Promise<Locator> {
    const p = this.page;
    if (opts.type) await p.getByLabel('Event type', { exact: true }).selectOption(opts.type);
    if (opts.data !== undefined) await p.getByLabel('Payload (data)').fill(opts.data);
    await p.getByRole('button', { name: 'Send test event' }).click();
    return this.testResult();
  }

  testResult(): Locator {
    return this.page.getByRole('region', { name: 'Test event result' });
  }

  // The event id the result panel shows once the first attempt has a result.
  async resultEventId(): Promise<string> {
    const id = this.testResult().getByText(/^evt_[0-9a-z]{26}$/);
    await expect(id).toBeVisible();
    return (await id.textContent())!;
  }

  async openDelivery(eventId: string) {
    await this.row(eventId).getByRole('link', { name: `Delivery of ${eventId}` }).click();
    await expect(this.page).toHaveURL(/\/deliveries\/dlv_[0-9a-z]+$/);
    await expect(this.page.getByTestId('event-id')).toHaveText(eventId);
  }

  // One attempt's panel on a delivery's page.
  attempt(n: number): Locator {
    return this.page.getByRole('article', { name: `Attempt ${n}` });
  }

  async checkEndpoint(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Check endpoint' }).click();
    const result = this.page.getByRole('region', { name: 'Check endpoint result' });
    await expect(result).toBeVisible({ timeout: 20_000 });
    return result;
  }
}
