type Gate = { inFlight: number; rate: number | null; tokens: number; at: number };

// What the claim query needs from the gates: endpoints to skip, and how many more the partly used ones may take.
export type GateSnapshot = { blocked: string[]; allow: { endpoint_id: string; allow: number }[]; nextRefillMs: number | null };

// Per-endpoint admission in one worker process: at most `cap` attempts in flight per endpoint, and when the
// endpoint sets rateLimitPerSecond a token bucket holding one second's worth (so a burst never exceeds the rate).
export class EndpointGates {
  private gates = new Map<string, Gate>();

  constructor(
    private readonly cap: number,
    private readonly now: () => number = Date.now,
  ) {}

  // How many more attempts the endpoint may start now.
  allowance(endpointId: string): number {
    const g = this.gates.get(endpointId);
    if (!g) return this.cap;
    this.refill(g);
    const byRate = g.rate === null ? Infinity : Math.floor(g.tokens);
    return Math.max(0, Math.min(this.cap - g.inFlight, byRate));
  }

  // Records the start of an attempt (rate: the endpoint's rateLimitPerSecond, null for none).
  start(endpointId: string, rate: number | null): void {
    const r = rate !== null && rate > 0 ? rate : null;
    let g = this.gates.get(endpointId);
    if (!g) {
      g = { inFlight: 0, rate: r, tokens: r ?? 0, at: this.now() };
      this.gates.set(endpointId, g);
    }
    this.refill(g);
    if (g.rate !== r) {
      g.rate = r;
      g.tokens = r === null ? 0 : Math.min(g.tokens, r);
    }
    g.inFlight++;
    if (g.rate !== null) g.tokens -= 1;
  }

  // Records the end of an attempt; true when the endpoint was at its cap (so waiting work may now go).
  finish(endpointId: string): boolean {
    const g = this.gates.get(endpointId);
    if (!g) return false;
    const wasFull = g.inFlight >= this.cap;
    g.inFlight = Math.max(0, g.inFlight - 1);
    return wasFull;
  }

  // Attempts in flight, over all endpoints.
  inFlight(): number {
    let n = 0;
    for (const g of this.gates.values()) n += g.inFlight;
    return n;
  }

  // Blocked and partly used endpoints for the next claim; forgets idle endpoints whose bucket is full again.
  snapshot(): GateSnapshot {
    const blocked: string[] = [];
    const allow: GateSnapshot['allow'] = [];
    let nextRefillMs: number | null = null;
    for (const [id, g] of this.gates) {
      this.refill(g);
      const full = g.rate === null || g.tokens >= g.rate;
      if (g.inFlight === 0 && full) {
        this.gates.delete(id);
        continue;
      }
      const a = this.allowance(id);
      if (a <= 0) blocked.push(id);
      else allow.push({ endpoint_id: id, allow: a });
      if (g.rate !== null && g.tokens < 1 && g.inFlight < this.cap) {
        const wait = Math.ceil(((1 - g.tokens) / g.rate) * 1000);
        nextRefillMs = nextRefillMs === null ? wait : Math.min(nextRefillMs, wait);
      }
    }
    return { blocked, allow, nextRefillMs };
  }

  private refill(g: Gate): void {
    const t = this.now();
    if (g.rate !== null && t > g.at) g.tokens = Math.min(g.rate, g.tokens + ((t - g.at) / 1000) * g.rate);
    g.at = t;
  }
}
