import { request as pwRequest } from '@playwright/test';
import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';
import { type Receiver } from '@/test/receiver';

const idsOf = (r: Receiver) => r.requests.map((q) => q.headers['webhook-id']);

test('send a test event, see it succeed, fail it, see the cause and next retry, replay it, and check the endpoint', async ({ page, webhooks: hooks, deliveries: dl, receiver }) => {
  test.setTimeout(120_000);
  await signUpNewUser(page, 'deliveries');
  await hooks.create({ url: receiver.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointPage = page.url();
  await expect(page.getByText('No deliveries yet. Send a test event to see one here.')).toBeVisible();

  // Send test event (Testing tab): the sample goes through the worker; the result and the row show success without a reload.
  await hooks.tab('Testing');
  await expect(page.getByLabel('Payload (data)')).toHaveValue(/"name": "Aspirin"/);
  const result = await dl.sendTestEvent({ type: 'compound.created' });
  await expect(result.getByText('succeeded')).toBeVisible({ timeout: 15_000 });
  await expect(result.getByText('HTTP 200')).toBeVisible();
  await expect(result.getByText('{"ok":true}')).toBeVisible();
  const okEvent = await dl.resultEventId();
  await hooks.tab('Deliveries');
  await expect(dl.row(okEvent)).toHaveAttribute('data-status', 'succeeded');
  await expect(dl.row(okEvent)).toContainText('compound.created');
  await expect(dl.row(okEvent)).toContainText('200');
  await expect(dl.row(okEvent).locator('time').first()).toHaveAttribute('title', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  expect(idsOf(receiver)).toEqual([okEvent]);
  const sent = JSON.parse(receiver.requests[0]!.body);
  expect(sent).toMatchObject({ id: okEvent, type: 'compound.created', data: { id: 'compound-123', name: 'Aspirin' } });

  // Its page: the payload, then the attempt's signed request and the receiver's response.
  await dl.openDelivery(okEvent);
  await expect(page.getByLabel('Event payload')).toContainText('"efficacy": 0.92');
  const first = dl.attempt(1);
  await expect(first.getByText('HTTP 200')).toBeVisible();
  const request = first.getByRole('region', { name: 'Request of attempt 1' });
  await expect(request).toContainText('webhook-signature');
  await expect(request).toContainText(receiver.requests[0]!.headers['webhook-signature'] as string);
  await expect(request).toContainText(receiver.requests[0]!.body);
  await expect(first.getByRole('region', { name: 'Response of attempt 1' })).toContainText('{"ok":true}');
  await expect(first).toContainText(/TLS\s*TLSv1\.[23]/);
  // Where the time went: this first attempt opened the connection, so its waterfall has TCP connect and TLS, in ms.
  const waterfall = first.getByRole('figure', { name: 'Timing of attempt 1' });
  for (const phase of ['TCP connect', 'TLS handshake', 'Waiting for the first byte', 'Reading the response']) {
    await expect(waterfall.getByRole('listitem', { name: new RegExp(`^${phase}: \\d+(\\.\\d)? (ms|s)$`) })).toBeVisible();
  }
  await expect(waterfall).toContainText(/Total \d/);

  // The receiver fails: a new test event's attempt shows the cause, a hint and the next retry (10 min, as configured).
  await page.goto(`${endpointPage}/testing`);
  // The payload is checked on the server: bad JSON and data outside the schema show at the field, and nothing is sent.
  await dl.sendTestEvent({ data: '{"id": ' });
  await expect(page.getByRole('alert').filter({ hasText: 'Not valid JSON' })).toBeVisible();
  await dl.sendTestEvent({ data: '{"id":"c-1","name":"Aspirin","category":"analgesic","efficacy":2}' });
  await expect(page.getByRole('alert').filter({ hasText: '/efficacy must be <= 1' })).toBeVisible();
  expect(receiver.requests).toHaveLength(1);

  receiver.fallback = { kind: 'status', status: 500, body: 'database is down' };
  const failed = await dl.sendTestEvent({ data: '{"id":"compound-9","name":"Ibuprofen","category":"nsaid","efficacy":0.8}' });
  await expect(failed.getByText('HTTP 500')).toBeVisible({ timeout: 15_000 });
  await expect(failed).toContainText('your endpoint failed while handling the event');
  const badEvent = await dl.resultEventId();
  await hooks.tab('Deliveries');
  await expect(dl.row(badEvent)).toHaveAttribute('data-status', 'pending');
  await expect(dl.row(badEvent)).toContainText(/in \d+ min/);
  await dl.openDelivery(badEvent);
  await expect(page.getByTestId('next-retry')).toContainText(/in \d+ min/);
  const attempt1 = dl.attempt(1);
  await expect(attempt1.getByText('HTTP 500')).toBeVisible();
  await expect(attempt1.getByTestId('failure')).toContainText('Server error (5xx)');
  await expect(attempt1.getByTestId('failure')).toContainText('500: your endpoint failed while handling the event — check its logs');
  await expect(attempt1.getByRole('region', { name: 'Response of attempt 1' })).toContainText('database is down');

  // The receiver recovers, slowly (its answer takes 4 s); Replay makes attempt 2 with the same event id: in progress
  // while the endpoint answers, then succeeded (the page updates itself).
  receiver.fallback = { kind: 'drip', intervalMs: 400, chunks: 10 };
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(dl.attempt(2).getByText('in progress')).toBeVisible({ timeout: 10_000 });
  await expect(dl.attempt(2)).toContainText('Waiting for the endpoint');
  await expect(dl.attempt(2).getByText('HTTP 200')).toBeVisible({ timeout: 15_000 });
  receiver.fallback = { kind: 'ok' };
  await expect(page.getByText('succeeded', { exact: true })).toBeVisible();
  await expect(page.getByTestId('next-retry')).toHaveText('None: delivered.');
  await expect(dl.attempt(1).getByText('HTTP 500')).toBeVisible();
  expect(idsOf(receiver)).toEqual([okEvent, badEvent, badEvent]);
  expect(receiver.requests[2]!.body).toBe(receiver.requests[1]!.body);

  // The Events log lists both deliveries; filters and the event id search narrow it.
  await page.getByRole('link', { name: 'Events', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await expect(dl.rows()).toHaveCount(2);
  await expect(dl.rows().first()).toHaveAttribute('data-delivery-id', /^dlv_/);
  await expect(dl.row(badEvent)).toContainText(receiver.url);
  await page.getByLabel('Filter by status').selectOption('failed');
  await expect(page.getByText('No deliveries match these filters.')).toBeVisible();
  await page.getByLabel('Filter by status').selectOption('succeeded');
  await expect(dl.rows()).toHaveCount(2);
  await expect(page).toHaveURL(/status=succeeded/);
  await page.getByLabel('Search by event id').fill(okEvent);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(dl.rows()).toHaveCount(1);
  await expect(dl.row(okEvent)).toBeVisible();
  await page.reload();
  await expect(dl.rows()).toHaveCount(1);
  await expect(page.getByLabel('Search by event id')).toHaveValue(okEvent);

  // Check endpoint against this receiver, which accepts everything: a red security finding for the forged signature.
  await page.goto(`${endpointPage}/testing`);
  const before = receiver.requests.length;
  const report = await dl.checkEndpoint();
  await expect(report.getByRole('alert').filter({ hasText: 'Your endpoint accepted a forged signature' })).toBeVisible();
  await expect(report.getByRole('alert').filter({ hasText: 'Your endpoint accepted a replayed (stale) timestamp' })).toBeVisible();
  await expect(report).toContainText(/TLS version\s*TLSv1\.[23]/);
  const signedTiming = report.getByRole('figure', { name: 'Timing of the request: Correctly signed request' });
  await expect(signedTiming.getByRole('listitem', { name: /^TLS handshake: \d/ })).toBeVisible();
  // the next probes reuse the connection
  await expect(report.getByRole('figure', { name: /^Timing of the request: Forged signature/ })).toContainText('Reused connection');
  expect(receiver.requests.length - before).toBe(3);
  // The probes are not deliveries: the list still has the two.
  await hooks.tab('Deliveries');
  await expect(dl.rows()).toHaveCount(2);

  // Replay failed counts first: nothing has failed for good (the 500 was retried and replayed).
  const replayFailedCard = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Replay failed deliveries' }) });
  await replayFailedCard.getByRole('button', { name: 'Preview' }).click();
  await expect(replayFailedCard.getByText(/No failed deliveries since .*: nothing to replay\./)).toBeVisible();

  // Stats of the last 24 h (Overview): 3 attempts, 2 succeeded.
  await hooks.tab('Overview');
  await expect(page.getByTestId('stats-24h')).toContainText('66.7%');
  await expect(page.getByText('3 attempts, 2 succeeded.').first()).toBeVisible();
  // The list page shows the same 24 h success rate for this endpoint.
  await page.goto('/settings/webhooks');
  await expect(page.getByTestId('success-rate')).toHaveText('66.7%');
  await page.goBack();

  // Receiver code for the standard format, with a tab per language.
  await hooks.tab('Receiver code');
  await page.getByRole('tab', { name: 'Python' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('standard.py');
});

// Creates an API key (developer) under Settings → API keys and returns it.
async function createApiKey(page: import('@playwright/test').Page): Promise<string> {
  await page.goto('/settings/api-keys');
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await dialog.getByLabel('Name').fill('Publisher');
  await dialog.getByLabel('Role').selectOption('developer');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const shown = dialog.getByLabel('New API key');
  await expect(shown).toHaveText(/^hr_/);
  const key = (await shown.textContent())!;
  await dialog.getByRole('button', { name: 'Done' }).click();
  return key;
}

test('Pause holds deliveries until Resume; events published while disabled are skipped, then sent by Replay skipped', async ({ page, baseURL, webhooks: hooks, deliveries: dl, receiver }) => {
  test.setTimeout(120_000);
  await signUpNewUser(page, 'lifecycle');
  const key = await createApiKey(page);
  const url = `${receiver.url}?lifecycle`;
  await hooks.create({ url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointPage = page.url();
  const mine = () => receiver.requests.filter((r) => r.path.includes('lifecycle'));
  const publish = async () => {
    const r = await fetch(`${baseURL}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'compound.created', data: { id: 'c-1', name: 'Aspirin', category: 'analgesic', efficacy: 0.5 } }),
    });
    expect(r.status).toBe(202);
    return (await r.json()) as { id: string; deliveries: number; skipped: number };
  };

  // Pause: the event waits as pending (not skipped), nothing is sent; the list says Paused; Resume sends it.
  await hooks.press('Pause', 'Paused');
  const held = await publish();
  expect(held).toMatchObject({ deliveries: 1, skipped: 0 });
  await hooks.tab('Deliveries');
  await expect(dl.row(held.id)).toHaveAttribute('data-status', 'pending');
  await dl.openDelivery(held.id);
  await expect(page.getByTestId('next-retry')).toHaveText('Waiting: the endpoint is paused; this delivery goes out when it is resumed.');
  await page.waitForTimeout(1500);
  expect(mine()).toHaveLength(0);
  await hooks.gotoList();
  await expect(hooks.row(url)).toContainText('Paused');
  await page.goto(endpointPage);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await expect.poll(() => mine().length, { timeout: 15_000 }).toBe(1);
  expect(mine()[0]!.headers['webhook-id']).toBe(held.id);

  // Disable: an event published now is recorded as skipped (endpoint_disabled), listed with the status filter, never sent.
  await hooks.press('Disable', 'Disabled');
  const skipped = await publish();
  expect(skipped).toMatchObject({ deliveries: 0, skipped: 1 });
  await hooks.tab('Deliveries');
  await expect(dl.row(skipped.id)).toHaveAttribute('data-status', 'skipped');
  await expect(dl.row(skipped.id)).toContainText('endpoint_disabled');
  await page.getByLabel('Filter by status').selectOption('skipped');
  await expect(dl.rows()).toHaveCount(1);
  await dl.openDelivery(skipped.id);
  await expect(page.getByTestId('skip-reason')).toContainText('endpoint_disabled: the endpoint was disabled when the event was published');
  await expect(page.getByTestId('next-retry')).toHaveText('None: not sent. Enable the endpoint, then Replay to send it.');
  expect(mine()).toHaveLength(1);

  // Enable, then Replay skipped: a count first, then one attempt each.
  await page.goto(`${endpointPage}/deliveries`);
  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await expect(page.getByText('Enabled', { exact: true })).toBeVisible();
  const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Replay skipped deliveries' }) });
  await card.getByRole('button', { name: 'Preview' }).click();
  await expect(card.getByText(/1 skipped delivery since .* will be sent, one attempt each\./)).toBeVisible();
  await card.getByRole('button', { name: 'Replay 1 delivery' }).click();
  await expect.poll(() => mine().length, { timeout: 15_000 }).toBe(2);
  expect(mine()[1]!.headers['webhook-id']).toBe(skipped.id);
  await expect(card.getByText('All 1 replayed deliveries have been attempted; see their results in Deliveries.')).toBeVisible({ timeout: 15_000 });
  await page.reload();
  await expect(dl.row(skipped.id)).toHaveAttribute('data-status', 'succeeded');
  expect(await hooks.auditActions()).toEqual(expect.arrayContaining(['deliveries.replayed_skipped', 'endpoint.resumed', 'endpoint.paused']));
});

test('a viewer sees deliveries and attempts but cannot send, replay or check; the polling route needs a session', async ({ page, baseURL, auth, deliveries: dl, webhooks: hooks, receiver, members }) => {
  const otherOwner = await signUpNewUser(page, 'downer2');
  await page.goto('/events');
  await auth.signOut();
  const email = await signUpNewUser(page, 'dviewer');
  await hooks.create({ url: receiver.url, events: ['compound.created'] });
  await expect(page).toHaveURL(/\/settings\/webhooks\/ep_[0-9a-z]+$/);
  const endpointPage = page.url();
  await hooks.tab('Testing');
  const result = await dl.sendTestEvent();
  await expect(result.getByText('succeeded')).toBeVisible({ timeout: 15_000 });
  const eventId = await dl.resultEventId();

  // Another owner joins; this member steps down to viewer (roles are read from the database on every request).
  await members.add(otherOwner, 'owner');
  const me = page.getByRole('row').filter({ hasText: email });
  await me.getByLabel(`Role of ${email}`, { exact: true }).selectOption('viewer');
  await me.getByRole('button', { name: `Save role of ${email}` }).click();
  await expect(me.getByText('Role saved.')).toBeVisible();

  await page.goto(endpointPage);
  await expect(dl.row(eventId)).toHaveAttribute('data-status', 'succeeded');
  await hooks.tab('Testing');
  await expect(page.getByText(/need the developer role or above; you are a viewer/)).toBeVisible();
  for (const name of ['Send test event', 'Check endpoint']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await hooks.tab('Deliveries');
  await expect(page.getByText(/need the developer role or above; you are a viewer/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Preview', exact: true })).toHaveCount(0);
  await hooks.tab('Receiver code');
  await expect(page.getByRole('tab', { name: 'Node' })).toBeVisible();
  await hooks.tab('Deliveries');
  await dl.openDelivery(eventId);
  await expect(dl.attempt(1).getByText('HTTP 200')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Replay' })).toHaveCount(0);

  // The JSON route answers with the session's organization only, and nobody without a session.
  const mine = await page.request.get('/api/internal/deliveries');
  expect(((await mine.json()) as { data: { eventId: string }[] }).data.map((d) => d.eventId)).toEqual([eventId]);
  const anonymous = await pwRequest.newContext({ baseURL });
  expect((await anonymous.get('/api/internal/deliveries')).status()).toBe(401);
  await anonymous.dispose();
});

test('GET /metrics of npm start: 404 without the token, 401 with a wrong one, and the in-process worker\'s counts with it', async ({ request }) => {
  expect((await request.get('/metrics')).status()).toBe(404);
  expect((await request.get('/metrics', { headers: { authorization: 'Bearer wrong-token' } })).status()).toBe(401);
  const res = await request.get('/metrics', { headers: { authorization: `Bearer ${process.env.E2E_METRICS_TOKEN}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  // the deliveries of the specs above went through the worker inside this server
  const succeeded = Number(/^hookrelay_deliveries_total\{status="succeeded"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  expect(succeeded).toBeGreaterThan(0);
  expect(text).toMatch(/^hookrelay_queue_depth \d+$/m);
  expect(text).toMatch(/^hookrelay_attempt_duration_seconds_count [1-9]\d*$/m);
});
