import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@/db/client';
import type { GateSnapshot } from './fairness';
import { openHeaders, openSecret, sealContext } from '@/lib/crypto';
import { orderSigningSecrets, type SecretRow } from './signing-secrets';
import { unnamed, type NamedQuery } from '@/db/prepared';

// A delivery this worker holds a lease on, with what its attempt needs: the event, the endpoint and the attempt row.
export type Claimed = {
  id: string;
  orgId: string;
  eventId: string;
  endpointId: string;
  /** The number of this attempt over the delivery's life (1-based), as recorded in `attempts`. */
  attempt: number;
  /** The number of this attempt in the current run of the retry schedule (1-based). */
  step: number;
  attemptId: string;
  type: string;
  data: string;
  eventAt: number;
  url: string;
  format: 'standard' | 'axifi' | 'axle';
  headers: Record<string, string>;
  rateLimitPerSecond: number | null;
  /** The endpoint's live secrets, opened and ordered for signatureHeaders (grace-period secret first). */
  secrets: string[];
};

// What one claim brings back: the deliveries now held, and when the next pending one falls due (ms), if any.
export type ClaimResult = { claimed: Claimed[]; nextDueAt: number | null; more: boolean };

// How one claim is made: for whom, how many, the per-endpoint and per-organization caps, the lease, the clock and the gates.
export type ClaimOptions = { owner: string; limit: number; cap: number; orgCap?: number; leaseMs: number; now: number; gates: GateSnapshot };

const iso = (ms: number) => new Date(ms).toISOString();
// An attempt's id, made from its delivery's and its number (SQL expressions): 'att_<delivery id after "dlv_">_<n>'.
const attemptIdOf = (deliveryId: string, number: string) => sql.raw(`'att_' || substr(${deliveryId}, 5) || '_' || ${number}`);
const json = (v: unknown) => JSON.stringify(v);

// Rows of one organization a claim looks at (oldest due first) to find ones whose endpoint has a free slot.
export const ORG_SCAN_ROWS = 2000;

// Claims up to `limit` due deliveries (queued and due: pending, or under a lease that expired) of enabled, unpaused
// endpoints, shared fairly between organizations: each organization with due work is visited (a loose scan of the
// queue's due index, which leads with org_id), gets at most its gate allowance and at most the gates' allowance per
// endpoint, and the batch is filled round-robin over organizations (each one's oldest first), so no organization's
// backlog, however deep, puts another's deliveries behind it. One statement takes the lease on the narrow delivery_queue row (due_at
// moves to the lease's end, so an expired lease is simply due again), counts the attempt there, and returns the event,
// the endpoint with its live secrets, and the next due time for the worker's sleep. Neither `deliveries` (its history
// indexes change only with the result) nor `attempts` is written: an attempt's row is written with its result, and a
// claim of a row whose lease ran out records the lost attempt's row, without a result (so it still shows), started at
// that lease's end minus leaseMs (every worker runs with the same WEBHOOK_LEASE_MS). `more` says whether due work was
// left past the limit that the gates would have allowed (claim again at once). Times come from the worker's clock
// (o.now, so tests can steer it); NTP keeps hosts within milliseconds, far inside the 10 s lease margin.
export async function claimDue(db: Db, o: ClaimOptions, query: NamedQuery = unnamed(db)): Promise<ClaimResult> {
  const now = iso(o.now);
  const orgCap = o.orgCap ?? o.limit;
  const rows = await query('hookrelay_claim', sql`
    with recursive orgs as (
      -- every organization with queued rows, one index descent each (a loose index scan)
      (select org_id from delivery_queue order by org_id limit 1)
      union all
      select (select q.org_id from delivery_queue q where q.org_id > orgs.org_id order by q.org_id limit 1)
      from orgs where orgs.org_id is not null
    ), gate_org as (
      select * from json_to_recordset(${json(o.gates.orgAllow)}::json) as a(org_id text, allow int)
    ), org_allow as (
      select orgs.org_id, least(coalesce(a.allow, ${orgCap}::int), ${o.limit}::int) as allow
      from orgs
      left join gate_org a on a.org_id = orgs.org_id
      where orgs.org_id is not null
        and orgs.org_id not in (select json_array_elements_text(${json(o.gates.blockedOrgs)}::json))
    ), stopped as (
      -- the endpoints (of the organizations visited) whose waiting rows a claim steps over: disabled or paused. Read
      -- once per claim: a NOT IN on a subquery correlated with each organization ran once per scanned row instead.
      select x.id from endpoints x
      where x.org_id in (select org_id from org_allow) and (not x.enabled or x.paused_at is not null)
    ), due as (
      -- each organization's oldest due rows (pending and due, or an expired lease) of endpoints with a free slot: twice
      -- its allowance (some rows will be over an endpoint's), looking at no more than ORG_SCAN_ROWS rows however many
      -- belong to blocked endpoints
      select c.id, c.org_id, c.endpoint_id, c.next_attempt_at
      from org_allow oa cross join lateral (
        select h.* from (
          select q.delivery_id as id, q.org_id, q.endpoint_id, q.due_at as next_attempt_at from delivery_queue q
          where q.org_id = oa.org_id and q.due_at <= ${now}::timestamptz
            -- a disabled or paused endpoint's waiting rows must not fill the scan and starve the organization's others
            and q.endpoint_id not in (select id from stopped)
          order by q.due_at
          limit ${ORG_SCAN_ROWS}
        ) h
        where h.endpoint_id not in (select json_array_elements_text(${json(o.gates.blocked)}::json))
        limit oa.allow * 2
      ) c
    ), cand as (
      select * from due
    ), by_endpoint as (
      select c.id, c.org_id, c.next_attempt_at,
        row_number() over (partition by c.endpoint_id order by c.next_attempt_at, c.id) as rn,
        coalesce(a.allow, least(${o.cap}::int, coalesce(e.rate_limit_per_second, ${o.cap}::int))) as allow
      from cand c
      join endpoints e on e.id = c.endpoint_id and e.enabled and e.paused_at is null
      left join json_to_recordset(${json(o.gates.allow)}::json) as a(endpoint_id text, allow int) on a.endpoint_id = c.endpoint_id
    ), by_org as (
      select b.id, b.next_attempt_at, row_number() over (partition by b.org_id order by b.next_attempt_at, b.id) as rn,
        coalesce(oa.allow, least(coalesce(ga.allow, ${orgCap}::int), ${o.limit}::int)) as allow
      from by_endpoint b
      left join org_allow oa on oa.org_id = b.org_id
      left join gate_org ga on ga.org_id = b.org_id
      where b.rn <= b.allow
    ), allowed as (
      select id, next_attempt_at, rn from by_org where rn <= allow
    ), picked as (
      -- round-robin over organizations: every organization's first, then every one's second, …
      select id from allowed order by rn, next_attempt_at, id limit ${o.limit}
    ), locked as (
      -- re-checked under the row lock: another worker may have taken a row since this statement's snapshot
      select q.delivery_id as id, q.lease_owner as lost_owner, q.due_at as lost_lease_end from delivery_queue q
      where q.delivery_id in (select id from picked) and q.due_at <= ${now}::timestamptz
      for update of q skip locked
    ), claimed as (
      update delivery_queue q
      set due_at = ${iso(o.now + o.leaseMs)}::timestamptz, lease_owner = ${o.owner},
        attempts = q.attempts + 1, schedule_step = q.schedule_step + 1
      from locked where q.delivery_id = locked.id
      returning q.delivery_id as id, q.org_id, q.event_id, q.endpoint_id, q.attempts, q.schedule_step, locked.lost_owner, locked.lost_lease_end
    ), lost as (
      -- the attempt before this one, when its lease ran out with no result: recorded as started, without a result
      -- (its worker died, or could not write the result); the attempt now claimed is written with its result
      insert into attempts (id, org_id, delivery_id, number, started_at)
      select ${attemptIdOf('c.id', '(c.attempts - 1)')}, c.org_id, c.id, c.attempts - 1,
        c.lost_lease_end - ${o.leaseMs}::int * interval '1 millisecond'
      from claimed c where c.lost_owner is not null
      on conflict (delivery_id, number) do nothing
    ), nd as (
      -- the earliest future due time (a retry, or a lease's end): the first future row of each organization
      -- more: the limit cut the gates' allowance short. Rows another worker locked first are not "more" (counting
      -- them sent the worker that lost a race straight into another claim that found nothing)
      select min(f.at) as at, (select count(*) from allowed) > (select count(*) from picked) as more
      from orgs cross join lateral (
        select q.due_at as at from delivery_queue q
        where q.org_id = orgs.org_id and q.due_at > ${now}::timestamptz
        order by q.due_at limit 1
      ) f
      where orgs.org_id is not null
    )
    select x.*, floor(extract(epoch from nd.at) * 1000)::float8 as next_due, nd.more from (
      select c.id, c.org_id, c.event_id, c.endpoint_id, c.attempts, c.schedule_step, ${attemptIdOf('c.id', 'c.attempts')} as attempt_id,
        ev.type, ev.data, floor(extract(epoch from ev.created_at) * 1000)::float8 as event_at,
        e.url, e.format, e.headers::text as headers, e.rate_limit_per_second,
        (select coalesce(json_agg(json_build_object('sealed', s.sealed,
            'created_at', floor(extract(epoch from s.created_at) * 1000)::float8,
            'expires_at', floor(extract(epoch from s.expires_at) * 1000)::float8)), '[]'::json)
          from endpoint_secrets s
          where s.endpoint_id = c.endpoint_id and (s.expires_at is null or s.expires_at > ${now}::timestamptz))::text as secrets
      from claimed c
      join events ev on ev.id = c.event_id
      join endpoints e on e.id = c.endpoint_id
    ) x right join nd on true
  `);
  const nextDue = rows[0]?.next_due;
  const claimed = rows
    .filter((x) => x.id !== null && x.id !== undefined)
    .map((x) => ({
      id: String(x.id),
      orgId: String(x.org_id),
      eventId: String(x.event_id),
      endpointId: String(x.endpoint_id),
      attempt: Number(x.attempts),
      step: Number(x.schedule_step),
      attemptId: String(x.attempt_id),
      type: String(x.type),
      data: String(x.data),
      eventAt: Number(x.event_at),
      url: String(x.url),
      format: x.format as Claimed['format'],
      headers: x.headers ? openEndpointHeaders(String(x.endpoint_id), String(x.headers)) : {},
      rateLimitPerSecond: x.rate_limit_per_second === null ? null : Number(x.rate_limit_per_second),
      secrets: openSecrets(String(x.endpoint_id), JSON.parse(String(x.secrets)), o.now),
    }));
  const more = rows[0]?.more === true || rows[0]?.more === 't';
  return { claimed, nextDueAt: nextDue === null || nextDue === undefined ? null : Number(nextDue), more };
}

const opened = new Map<string, string>();
const openedHeaders = new Map<string, Readonly<Record<string, string>>>();

// Opens an endpoint's sealed custom header values (cached by endpoint and stored text, like the secrets); a value that
// does not open is left out of the request.
function openEndpointHeaders(endpointId: string, stored: string): Record<string, string> {
  if (stored === '{}') return {};
  const cacheKey = `${endpointId}:${stored}`;
  let headers = openedHeaders.get(cacheKey);
  if (headers === undefined) {
    headers = openHeaders(endpointId, JSON.parse(stored) as Record<string, string>);
    if (openedHeaders.size >= 10_000) openedHeaders.delete(openedHeaders.keys().next().value!);
    openedHeaders.set(cacheKey, headers);
  }
  return { ...headers };
}

// Opens an endpoint's sealed secrets (cached by endpoint and sealed text: one AES-GCM open per secret, not per attempt)
// and orders them.
function openSecrets(endpointId: string, rows: { sealed: string; created_at: number; expires_at: number | null }[], now: number): string[] {
  const list: SecretRow[] = [];
  for (const r of rows) {
    const cacheKey = `${endpointId}:${r.sealed}`;
    let secret = opened.get(cacheKey);
    if (secret === undefined) {
      try {
        secret = openSecret(r.sealed, sealContext.endpointSecret(endpointId));
      } catch {
        continue; // sealed under another key or for another endpoint: it signs nothing, or the attempt says it has none
      }
      if (opened.size >= 10_000) opened.delete(opened.keys().next().value!);
      opened.set(cacheKey, secret);
    }
    list.push({ secret, createdAt: new Date(r.created_at), expiresAt: r.expires_at === null ? null : new Date(r.expires_at) });
  }
  return orderSigningSecrets(list, new Date(now));
}

// Gives claimed deliveries whose attempt never started back: due again at once, the attempt uncounted (it has no row:
// an attempt's row is written with its result).
export async function releaseClaims(db: Db, owner: string, items: readonly Pick<Claimed, 'id' | 'attempt'>[]): Promise<void> {
  if (items.length === 0) return;
  await db.execute(sql`
    update delivery_queue q set due_at = now(), lease_owner = null, attempts = q.attempts - 1,
      schedule_step = greatest(q.schedule_step - 1, 0)
    from json_to_recordset(${json(items.map((i) => ({ id: i.id, attempt: i.attempt })))}::json) as r(id text, attempt int)
    where q.delivery_id = r.id and q.lease_owner = ${owner} and q.attempts = r.attempt`);
}

// The live secrets of each endpoint, opened and ordered for signatureHeaders (grace-period secret first).
export async function loadSecrets(db: Db, endpointIds: readonly string[], now: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (endpointIds.length === 0) return out;
  const rows = await queryRows<{ endpoint_id: string; secrets: string }>(db, sql`
    select s.endpoint_id, json_agg(json_build_object('sealed', s.sealed,
        'created_at', floor(extract(epoch from s.created_at) * 1000)::float8,
        'expires_at', floor(extract(epoch from s.expires_at) * 1000)::float8))::text as secrets
    from endpoint_secrets s
    where s.endpoint_id in (select json_array_elements_text(${json([...new Set(endpointIds)])}::json))
      and (s.expires_at is null or s.expires_at > ${iso(now)}::timestamptz)
    group by s.endpoint_id`);
  for (const r of rows) out.set(r.endpoint_id, openSecrets(r.endpoint_id, JSON.parse(r.secrets), now));
  return out;
}
