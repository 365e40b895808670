import { describe, expect, it } from 'vitest';
import { describeAudit, durationWords } from './text';

describe('describeAudit', () => {
  it('puts rotations, grace periods and member changes in words', () => {
    expect(describeAudit('secret.rotated', { graceSeconds: 86400, olderGraceEnded: false })).toBe('Rotated the signing secret; the previous one keeps signing for 24 h.');
    expect(describeAudit('secret.rotated', { graceSeconds: 604800 })).toBe('Rotated the signing secret; the previous one keeps signing for 7 d.');
    expect(describeAudit('secret.rotated', { graceSeconds: 0 })).toBe('Rotated the signing secret; the previous one stopped working at once.');
    expect(describeAudit('secret.grace_ended', { ended: 1 })).toBe('Ended the grace period; only the current signing secret signs now.');
    expect(describeAudit('member.role_changed', { from: 'developer', to: 'admin' }, 'ann@example.com')).toBe('Changed the role of ann@example.com from developer to admin.');
    expect(describeAudit('endpoint.updated', { changed: ['url', 'headers'] })).toBe('Changed the URL and the custom headers of the webhook.');
    expect(describeAudit('endpoint.created', { eventTypes: ['*'], format: 'axle' })).toBe('Created the webhook, subscribed to all events in the axle format.');
  });

  it('renders the newer actions, with or without detail', () => {
    expect(describeAudit('event.test_sent', { type: 'compound.created', eventId: 'evt_1' })).toBe('Sent a test compound.created event (evt_1).');
    expect(describeAudit('event.test_sent', null)).toBe('Sent a test event.');
    expect(describeAudit('deliveries.replayed_failed', { count: 3, since: '2025-01-02T03:04:05.000Z' })).toBe('Replayed 3 failed deliveries since 2025-01-02 03:04 UTC.');
    expect(describeAudit('delivery.replayed', {})).toBe('Replayed a delivery: one new attempt with the same webhook-id.');
    expect(describeAudit('delivery.replayed', { retry: 'schedule' })).toBe('Replayed a delivery: a new run of the retry schedule with the same webhook-id.');
    expect(describeAudit('deliveries.replayed_skipped', { count: 2, since: '2025-01-02T03:04:05.000Z', retry: 'once' })).toBe(
      'Replayed 2 skipped deliveries since 2025-01-02 03:04 UTC, one attempt each.',
    );
    expect(describeAudit('endpoint.paused', null)).toMatch(/^Paused the webhook/);
    expect(describeAudit('endpoint.headers_revealed', null)).toBe("Revealed the webhook's custom header values.");
    expect(describeAudit('account.password_changed', null)).toBe('Changed their password.');
    expect(describeAudit('account.signed_out_everywhere', null)).toBe('Signed out of every session on every device.');
  });

  it('says something bounded for an action it does not know', () => {
    expect(describeAudit('thing.done', null)).toBe('Recorded “thing.done”.');
    const long = describeAudit('thing.done', { blob: 'x'.repeat(1000) });
    expect(long.length).toBeLessThan(200);
  });

  it('names durations in their largest whole unit', () => {
    expect([durationWords(3600), durationWords(86400), durationWords(90), durationWords(600)]).toEqual(['1 h', '24 h', '90 s', '10 min']);
  });
});
