type Gate = { inFlight: number; rate: number | null; tokens: number; at: number; timeouts: number };

// What the claim query needs from the gates: endpoints and organizations to skip, and how many more the partly used
// ones may take.
export type GateSnapshot = {
  blocked: string[];
  allow: { endpoint_id: string; allow: number }[];
  blockedOrgs: string[];
  orgAllow: { org_id: string; allow: number }[];
  nextRefillMs: number | null;
};

// Consecutive timeouts after which an endpoint's breaker opens: it then gets one slot until an attempt ends otherwise.
export const BREAKER_TIMEOUTS = 3;

// How an attempt ended, as far as the breaker cares.
export type GateOutcome = { timedOut: boolean };

// Admission in one worker process: at most `cap` attempts in flight per endpoint (one while its breaker is open, after
// BREAKER_TIMEOUTS timeouts in a row), at most `orgCap` per organization, and when the endpoint sets
// rateLimitPerSecond a token bucket holding one second's worth (so a burst never exceeds the rate).
export class EndpointGates {
  private gates = new Map<string, Gate>();
  private orgs = new Map<string, number>();

  constructor(
    private readonly cap: number,
    private readonly now: () => number = Date.now,
    private readonly orgCap: number = Infinity,
  ) {}

  // How many more attempts the endpoint may start now.
  allowance(endpointId: string): number {
    const g = this.gates.get(endpointId);
    if (!g) return this.cap;
    this.refill(g);
    const byRate = g.rate === null ? Infinity : Math.floor(g.tokens);
    return Math.max(0, Math.min(this.capOf(g) - g.inFlight, byRate));
  }

  // How many more attempts the organization may start now.
  orgAllowance(orgId: string): number {
    return Math.max(0, this.orgCap - (this.orgs.get(orgId) ?? 0));
  }

  // Whether the endpoint's breaker is open (it timed out BREAKER_TIMEOUTS times in a row).
  tripped(endpointId: string): boolean {
    return (this.gates.get(endpointId)?.timeouts ?? 0) >= BREAKER_TIMEOUTS;
  }

  // Records the start of an attempt (rate: the endpoint's rateLimitPerSecond, null for none).
  start(endpointId: string, rate: number | null, orgId?: string): void {
    const r = rate !== null && rate > 0 ? rate : null;
    let g = this.gates.get(endpointId);
    if (!g) {
      g = { inFlight: 0, rate: r, tokens: r ?? 0, at: this.now(), timeouts: 0 };
      this.gates.set(endpointId, g);
    }
    this.refill(g);
    if (g.rate !== r) {
      g.rate = r;
      g.tokens = r === null ? 0 : Math.min(g.tokens, r);
    }
    g.inFlight++;
    if (g.rate !== null) g.tokens -= 1;
    if (orgId !== undefined) this.orgs.set(orgId, (this.orgs.get(orgId) ?? 0) + 1);
  }

  // Records the end of an attempt; true when the endpoint or its organization was at its cap (so waiting work may go).
  finish(endpointId: string, orgId?: string, outcome?: GateOutcome): boolean {
    let wasFull = false;
    if (orgId !== undefined) {
      const n = this.orgs.get(orgId) ?? 0;
      wasFull = n >= this.orgCap;
      if (n <= 1) this.orgs.delete(orgId);
      else this.orgs.set(orgId, n - 1);
    }
    const g = this.gates.get(endpointId);
    if (!g) return wasFull;
    wasFull ||= g.inFlight >= this.capOf(g);
    g.inFlight = Math.max(0, g.inFlight - 1);
    if (outcome) g.timeouts = outcome.timedOut ? g.timeouts + 1 : 0;
    return wasFull;
  }

  // Attempts in flight, over all endpoints.
  inFlight(): number {
    let n = 0;
    for (const g of this.gates.values()) n += g.inFlight;
    return n;
  }

  // Blocked and partly used endpoints and organizations for the next claim; forgets idle endpoints whose bucket is
  // full again and whose breaker is closed.
  snapshot(): GateSnapshot {
    const blocked: string[] = [];
    const allow: GateSnapshot['allow'] = [];
    let nextRefillMs: number | null = null;
    for (const [id, g] of this.gates) {
      this.refill(g);
      const full = g.rate === null || g.tokens >= g.rate;
      if (g.inFlight === 0 && full && g.timeouts === 0) {
        this.gates.delete(id);
        continue;
      }
      const a = this.allowance(id);
      if (a <= 0) blocked.push(id);
      else allow.push({ endpoint_id: id, allow: a });
      if (g.rate !== null && g.tokens < 1 && g.inFlight < this.capOf(g)) {
        const wait = Math.ceil(((1 - g.tokens) / g.rate) * 1000);
        nextRefillMs = nextRefillMs === null ? wait : Math.min(nextRefillMs, wait);
      }
    }
    const blockedOrgs: string[] = [];
    const orgAllow: GateSnapshot['orgAllow'] = [];
    for (const [id, n] of this.orgs) {
      if (n >= this.orgCap) blockedOrgs.push(id);
      else orgAllow.push({ org_id: id, allow: this.orgCap - n });
    }
    return { blocked, allow, blockedOrgs, orgAllow, nextRefillMs };
  }

  private capOf(g: Gate): number {
    return g.timeouts >= BREAKER_TIMEOUTS ? 1 : this.cap;
  }

  private refill(g: Gate): void {
    const t = this.now();
    if (g.rate !== null && t > g.at) g.tokens = Math.min(g.rate, g.tokens + ((t - g.at) / 1000) * g.rate);
    g.at = t;
  }
}
