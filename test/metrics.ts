import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';

// Test helpers: scrape a /metrics URL and read samples out of the parsed Prometheus text.

export type Scraped = { status: number; text: string; families: ParsedFamily[] };

// GETs `url` with the token (if any) and parses a 200 answer with a Prometheus text-format parser.
export async function scrape(url: string, token?: string): Promise<Scraped> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, text, families: res.status === 200 ? parsePrometheusTextFormat(text) : [] };
}

// The sample of `name` whose labels include `labels`, or undefined.
export function sampleOf(s: Scraped, name: string, labels: Record<string, string> = {}): ParsedSample | undefined {
  const family = s.families.find((f) => f.name === name);
  return family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

// A counter's or gauge's value (0 when the labelled sample is not there yet).
export function valueOf(s: Scraped, name: string, labels: Record<string, string> = {}): number {
  const v = sampleOf(s, name, labels)?.value;
  return v === undefined ? 0 : Number(v);
}

// A histogram's observation count (0 when absent).
export function countOf(s: Scraped, name: string, labels: Record<string, string> = {}): number {
  const c = sampleOf(s, name, labels)?.count;
  return c === undefined ? 0 : Number(c);
}
