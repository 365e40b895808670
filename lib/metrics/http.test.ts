import { describe, expect, it } from 'vitest';
import { isMetricsUrl, scrapeAccess } from './http';

describe('/metrics access', () => {
  const token = 'a-metrics-token-of-32-characters';

  it('is absent (404) without METRICS_TOKEN or without a Bearer header, refused (401) for a wrong token', () => {
    expect(scrapeAccess(`Bearer ${token}`, undefined)).toBe('absent');
    expect(scrapeAccess(undefined, token)).toBe('absent');
    expect(scrapeAccess('Basic dXNlcjpwYXNz', token)).toBe('absent');
    expect(scrapeAccess('Bearer nope', token)).toBe('wrong');
    expect(scrapeAccess(`Bearer ${token}x`, token)).toBe('wrong');
    expect(scrapeAccess(`Bearer ${token}`, token)).toBe('ok');
    expect(scrapeAccess(`bearer  ${token} `, token)).toBe('ok');
  });

  it('answers /metrics and /metrics?… only', () => {
    expect(isMetricsUrl('/metrics')).toBe(true);
    expect(isMetricsUrl('/metrics?x=1')).toBe(true);
    expect(isMetricsUrl('/metricsx')).toBe(false);
    expect(isMetricsUrl('/settings/metrics')).toBe(false);
  });
});
