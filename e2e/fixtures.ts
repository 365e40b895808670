import { test as base, expect } from '@playwright/test';
import { startReceiver, type Receiver, type ReceiverOptions } from '@/test/receiver';
import { AuthPage } from './pages/auth';
import { DeliveriesPage } from './pages/deliveries';
import { MembersPage } from './pages/members';
import { WebhooksPage } from './pages/webhooks';

export type Fixtures = {
  auth: AuthPage;
  webhooks: WebhooksPage;
  deliveries: DeliveriesPage;
  members: MembersPage;
  /** An HTTPS receiver of this test that answers 200 to everything and verifies nothing; closed after the test. */
  receiver: Receiver;
  /** Starts one more receiver for this test (closed after it). */
  newReceiver: (opts?: ReceiverOptions) => Promise<Receiver>;
};

// The specs' `test`: the page objects of `page` and the test's receivers as fixtures.
export const test = base.extend<Fixtures>({
  auth: async ({ page }, use) => use(new AuthPage(page)),
  webhooks: async ({ page }, use) => use(new WebhooksPage(page)),
  deliveries: async ({ page }, use) => use(new DeliveriesPage(page)),
  members: async ({ page }, use) => use(new MembersPage(page)),
  newReceiver: async ({}, use) => {
    const started: Receiver[] = [];
    await use(async (opts) => {
      const r = await startReceiver(opts);
      started.push(r);
      return r;
    });
    await Promise.all(started.map((r) => r.close()));
  },
  receiver: async ({ newReceiver }, use) => use(await newReceiver()),
});

export { expect };
