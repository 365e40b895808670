import { test, expect } from './fixtures';
import { signUpNewUser } from './pages/auth';

// Issue 14 item 1 in the dashboard: a schema bomb is refused beside the field with what to change, while the
// server keeps answering; a pattern that would backtrack is accepted (it runs on RE2).
test('event types: a "$ref" bomb and an unbounded uniqueItems are refused with a sentence; a RE2 pattern is accepted', async ({ page, request }) => {
  await signUpNewUser(page, 'bombs');
  await page.goto('/settings/event-types');
  const form = page.getByRole('form', { name: 'Add event type' });

  const defs: Record<string, unknown> = { d0: { type: 'string' } };
  for (let l = 1; l <= 30; l++) defs[`d${l}`] = { type: 'object', properties: Object.fromEntries([0, 1, 2, 3].map((i) => [`p${i}`, { $ref: `#/$defs/d${l - 1}` }])) };
  const bomb = { type: 'object', $defs: defs, properties: { root: { $ref: '#/$defs/d30' } } };
  await form.getByLabel('Name').fill('bomb.ref');
  await form.getByLabel('JSON Schema').fill(JSON.stringify(bomb));
  await form.getByLabel('Sample').fill('{}');
  const t0 = Date.now();
  await form.getByRole('button', { name: 'Add event type' }).click();
  // meanwhile the server answers other requests
  expect((await request.get('/api/health')).ok()).toBe(true);
  await expect(form.getByText(/with its "\$ref"s expanded the schema has more than 10,000 keywords; reference shared definitions fewer times/)).toBeVisible();
  expect(Date.now() - t0).toBeLessThan(10_000);

  await form.getByLabel('Name').fill('bomb.unique');
  await form.getByLabel('JSON Schema').fill('{"type":"object","properties":{"list":{"type":"array","uniqueItems":true}}}');
  await form.getByRole('button', { name: 'Add event type' }).click();
  await expect(form.getByText(/"uniqueItems" at \/properties\/list needs "maxItems" of at most 20 beside it/)).toBeVisible();

  await form.getByLabel('Name').fill('bomb.pattern');
  await form.getByLabel('JSON Schema').fill('{"type":"object","properties":{"s":{"type":"string","pattern":"^(a+)+$"}}}');
  await form.getByLabel('Sample').fill('{"s":"aaaa"}');
  await form.getByRole('button', { name: 'Add event type' }).click();
  await expect(form.getByText('Event type bomb.pattern added.')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'bomb.ref' })).toHaveCount(0);
});
