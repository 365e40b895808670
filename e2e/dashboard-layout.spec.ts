import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { signUpNewUser, uniqueEmail } from './pages/auth';
import { type Receiver } from '@/test/receiver';

// Every dashboard page, at 1280×900 and 1024×768, light and dark: no table wider than its container, code blocks
// inside their own box, no sideways scrolling of the page, and no serious or critical axe violation.

const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 1024, height: 768 }];
const SCHEMES = ['light', 'dark'] as const;

// What overflows on the page: tables wider than their parent, code blocks past their box or the main column, and
// the page itself scrolling sideways.
async function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
    document.querySelectorAll('table').forEach((t, i) => {
      const p = t.parentElement!;
      if (p.scrollWidth > p.clientWidth + 1) out.push(`table ${i} (${t.querySelector('caption')?.textContent ?? ''}) is ${p.scrollWidth}px in ${p.clientWidth}px`);
    });
    const main = document.querySelector('main')!.getBoundingClientRect();
    document.querySelectorAll('pre').forEach((pre, i) => {
      const r = pre.getBoundingClientRect();
      const style = getComputedStyle(pre);
      const contained = pre.scrollWidth <= pre.clientWidth + 1 || ['auto', 'scroll'].includes(style.overflowX);
      if (!contained) out.push(`code block ${i} spills out of its box`);
      if (r.right > main.right + 1) out.push(`code block ${i} runs past the page (${Math.round(r.right)} > ${Math.round(main.right)})`);
    });
    return out;
  });
}

async function seriousViolations(page: Page): Promise<string[]> {
  // the page at rest: the pointer stays where the last click was; hover colours have a test of their own below
  await page.mouse.move(0, 0);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('every dashboard page fits at 1280 and 1024 px, light and dark, with no serious accessibility violation', async ({ page, webhooks: hooks, deliveries: dl, receiver }) => {
  test.setTimeout(240_000);
  await signUpNewUser(page, 'layout');
  const longUrl = `${receiver.url}/webhooks/a-rather-long-path/that-keeps-going/for-customers-with-deep-routes?tenant=acme-industries-international`;
  await hooks.create({ url: longUrl, description: 'Orders feed for the warehouse team', events: ['compound.created'], format: 'axifi' });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpoint = new URL(page.url()).pathname;
  await hooks.tab('Testing');
  const result = await dl.sendTestEvent();
  await expect(result.getByText('succeeded')).toBeVisible({ timeout: 15_000 });
  receiver.fallback = { kind: 'status', status: 500, body: 'down' };
  await expect((await dl.sendTestEvent()).getByText('HTTP 500')).toBeVisible({ timeout: 15_000 });
  receiver.fallback = { kind: 'ok' };
  await hooks.tab('Deliveries');
  await dl.rows().first().getByRole('link', { name: /^Delivery of / }).click();
  await expect(page).toHaveURL(/\/deliveries\/dlv_/);
  const delivery = new URL(page.url()).pathname;

  // The sidebar's sections (whatever pages it lists), the endpoint's tabs, a delivery and Create Webhook.
  const sections = await page.getByRole('navigation', { name: 'Settings' }).getByRole('link').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const pages = [...new Set([...sections, '/settings/webhooks/new', endpoint, `${endpoint}/deliveries`, `${endpoint}/testing`, `${endpoint}/settings`, `${endpoint}/receiver-code`, delivery])];

  const problems: string[] = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const path of pages) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        for (const p of await overflows(page)) problems.push(`${path} at ${viewport.width}px, ${scheme}: ${p}`);
        // Accessibility once per scheme (contrast differs); the narrower viewport changes layout, not semantics.
        if (viewport.width === 1280) for (const v of await seriousViolations(page)) problems.push(`${path}, ${scheme}: ${v}`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test('primary and danger buttons keep their text readable under the pointer, light and dark', async ({ page }) => {
  await signUpNewUser(page, 'hover');
  const problems: string[] = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [path, role, name] of [['/settings/webhooks', 'link', 'Create Webhook'], ['/settings/account', 'button', 'Sign out everywhere']] as const) {
      await page.goto(path);
      const button = page.getByRole('main').getByRole(role, { name }).first();
      await button.hover();
      await page.waitForTimeout(300); // the colour's transition
      const { violations } = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
      for (const v of violations) for (const n of v.nodes) problems.push(`${path}, ${scheme}, "${name}" hovered: ${n.failureSummary?.split('\n').slice(-1)[0] ?? v.help}`);
    }
  }
  expect(problems).toEqual([]);
});

test('the endpoint tabs have their own URLs and are reachable by keyboard', async ({ page, webhooks: hooks, receiver }) => {
  await signUpNewUser(page, 'tabs');
  await hooks.create({ url: receiver.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const base = page.url();
  const tabs = page.getByRole('navigation', { name: 'Endpoint' });
  await expect(tabs.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'Success rate and latency' })).toBeVisible();

  // By URL: each tab opens on its own, with itself marked current.
  for (const [slug, name, shows] of [
    ['deliveries', 'Deliveries', 'Replay failed deliveries'],
    ['testing', 'Testing', 'Send test event'],
    ['settings', 'Settings', 'Signing secret'],
    ['receiver-code', 'Receiver code', 'Receiver code'],
  ] as const) {
    await page.goto(`${base}/${slug}`);
    await expect(tabs.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 2, name: shows, exact: true })).toBeVisible();
  }

  // By keyboard: Tab moves from one tab to the next, Enter opens it.
  await page.goto(base);
  await tabs.getByRole('link', { name: 'Overview' }).focus();
  await page.keyboard.press('Tab');
  await expect(tabs.getByRole('link', { name: 'Deliveries' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(tabs.getByRole('link', { name: 'Testing' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${base}/testing`);
  await expect(tabs.getByRole('link', { name: 'Testing' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Send test event' })).toBeVisible();
});

test('dialogs keep focus inside, close on Escape and give focus back to the button that opened them', async ({ page }) => {
  await signUpNewUser(page, 'dialogs');
  // Before hydration the button that opens the dialog is disabled, so an early click is not silently lost.
  const html = await (await page.request.get('/settings/api-keys')).text();
  expect(html).toMatch(/<button(?=[^>]*\sdisabled)[^>]*>Create API key<\/button>/);
  await page.goto('/settings/api-keys');
  const open = page.getByRole('button', { name: 'Create API key' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
});

test('the audit log shows sentences and names for create, reveal, rotate and delete, filtered by actor and action', async ({ page, webhooks: hooks, receiver }) => {
  const email = await signUpNewUser(page, 'auditlog');
  const url = `${receiver.url}/audited`;
  await hooks.create({ url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  await hooks.tab('Settings');
  await hooks.reveal();
  await hooks.rotate('24 hours');
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog', { name: 'Delete webhook?' }).getByRole('button', { name: 'Delete webhook' }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);

  await page.goto('/settings/audit-log');
  const table = page.getByRole('table', { name: 'Audit log' });
  const row = (action: string) => table.locator(`tr[data-action="${action}"]`);
  await expect(row('endpoint.created')).toContainText('Created the webhook, subscribed to compound.created in the standard format.');
  await expect(row('secret.revealed')).toContainText('Revealed the signing secret.');
  await expect(row('secret.rotated')).toContainText('Rotated the signing secret; the previous one keeps signing for 24 h.');
  await expect(row('endpoint.deleted')).toContainText('Deleted the webhook with its signing secrets and delivery history.');
  for (const action of ['endpoint.created', 'secret.revealed', 'secret.rotated', 'endpoint.deleted']) {
    await expect(row(action)).toContainText(url);
    await expect(row(action)).toContainText(email);
    await expect(row(action)).not.toContainText('ep_');
  }

  await page.getByLabel('Action').selectOption('secret.rotated');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=secret\.rotated/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await page.getByLabel('Actor').selectOption(email);
  await page.getByLabel('Action').selectOption('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(table.locator('tbody tr')).toHaveCount(4);
});

test('the organization switcher shows a long organization name in full', async ({ page, auth }) => {
  const member = uniqueEmail('a-member-with-a-rather-long-address-for-the-sidebar');
  await auth.signUp(member);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await auth.signOut();
  await signUpNewUser(page, 'an-owner-whose-organization-name-is-long-enough-to-wrap');
  await page.goto('/settings/members');
  const add = page.getByRole('form', { name: 'Add member' });
  await add.getByLabel('Email').fill(member);
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByText(`${member} added as`)).toBeVisible();
  await auth.signOut();
  await auth.signIn(member);
  await expect(page).toHaveURL(/\/settings\/webhooks$/);

  const name = `${member.split('@')[0]}'s organization`;
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    const shown = page.getByRole('complementary').getByText(name, { exact: true });
    await expect(shown).toBeVisible();
    expect(await shown.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).textOverflow !== 'ellipsis')).toBe(true);
  }
});

test("the Overview's stats refresh with its live delivery list, without a reload", async ({ page, webhooks: hooks, deliveries: dl, receiver }) => {
  await signUpNewUser(page, 'livestats');
  await hooks.create({ url: receiver.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  await hooks.tab('Testing');
  receiver.queue.push({ kind: 'hang' }); // the attempt runs until the 5 s timeout, then fails
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(dl.testResult()).toBeVisible();
  await hooks.tab('Overview');
  await expect(page.getByTestId('stats-24h')).toBeVisible();
  await expect(page.getByText('0 attempts, 0 succeeded.').first()).toBeVisible();
  await expect(page.getByText('1 attempt, 0 succeeded.').first()).toBeVisible({ timeout: 20_000 });
  await expect(dl.rows().first()).toHaveAttribute('data-status', 'pending');
});
