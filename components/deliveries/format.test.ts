import { describe, expect, it } from 'vitest';
import { localTime, middleEllipsis, relativeTime } from './format';

describe('dashboard time and URL formats', () => {
  it('shortens long URLs in the middle, keeping the host and the end of the path', () => {
    const url = 'https://hooks.example.com/webhooks/a-rather-long-path/that-keeps-going/orders';
    const short = middleEllipsis(url, 40);
    expect(short).toHaveLength(40);
    expect(short.startsWith('https://hooks.example.com')).toBe(true);
    expect(short.endsWith('/orders')).toBe(true);
    expect(short).toContain('…');
    expect(middleEllipsis('https://a.example/x', 40)).toBe('https://a.example/x');
  });

  it('shows a time in a given zone with the zone named', () => {
    const at = '2025-03-10T12:30:45.000Z';
    expect(localTime(at, 'UTC')).toBe('10 Mar 2025, 12:30 UTC');
    expect(localTime(at, 'Europe/Paris')).toMatch(/^10 Mar 2025, 13:30 (CET|GMT\+1)$/);
    expect(localTime(at, 'UTC', true)).toBe('10 Mar 2025, 12:30:45 UTC');
    expect(localTime('not a date', 'UTC')).toBe('—');
  });

  it('puts times relative to now, past and future', () => {
    const now = Date.parse('2025-03-10T12:00:00Z');
    expect(relativeTime('2025-03-10T11:58:00Z', now)).toBe('2 min ago');
    expect(relativeTime('2025-03-10T12:10:00Z', now)).toBe('in 10 min');
  });
});
