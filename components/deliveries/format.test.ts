import { describe, expect, it } from 'vitest';
import { formatPhaseMs, localTime, middleEllipsis, relativeTime, timingPhases } from './format';

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

describe('timing waterfall phases', () => {
  it('lays a new connection out as DNS, connect, TLS, waiting and reading, end to end', () => {
    const phases = timingPhases({ dnsMs: 4, connectMs: 1.5, tlsMs: 10, ttfbMs: 40, totalMs: 42, reused: false });
    expect(phases.map((p) => [p.key, p.startMs, p.ms])).toEqual([
      ['dns', 0, 4], ['connect', 4, 1.5], ['tls', 5.5, 10], ['wait', 15.5, 24.5], ['download', 40, 2],
    ]);
  });

  it('shows only waiting and reading on a reused connection, and nothing when nothing was measured', () => {
    expect(timingPhases({ dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: 3, totalMs: 5, reused: true }).map((p) => p.key)).toEqual(['wait', 'download']);
    expect(timingPhases({ dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, totalMs: 120, reused: null })).toEqual([]);
    expect(formatPhaseMs(0.04)).toBe('0.0 ms');
    expect(formatPhaseMs(2.26)).toBe('2.3 ms');
    expect(formatPhaseMs(85.4)).toBe('85 ms');
  });
});
