import { getDb } from '@/lib/db';
import { newId } from '@/db/ids';
import { env } from '@/lib/env';
import { UserError } from '@/lib/errors';
import { encodeBody, generateSecret, signatureHeaders, type WireFormat } from '@/lib/signing';
import { assertCan, type Actor } from '@/lib/auth/permissions';
import { recordAudit } from '@/lib/audit/log';
import { endpointHeadersForSending, getEndpoint } from './endpoints';
import { listEventTypes } from './event-types';
import { loadSecrets } from '@/lib/delivery/claim';
import { sendableCustomHeaders } from '@/lib/delivery/headers';
import { createSender, type AttemptResult, type AttemptTimings, type Sender } from '@/lib/delivery/sender';

// One request of the check: what was sent, what the endpoint must do with it, what it did, and what that means.
export type ProbeKind = 'signed' | 'forged' | 'stale';
export type ProbeVerdict = 'pass' | 'finding' | 'warning' | 'inconclusive';
export type CheckProbe = {
  kind: ProbeKind;
  label: string;
  expect: 'accept' | 'reject';
  status: number | null;
  latencyMs: number;
  failureMessage: string | null;
  verdict: ProbeVerdict;
  message: string;
  /** Where the request's time went (ms); null when it was not sent. */
  timings: (AttemptTimings & { totalMs: number }) | null;
};
// What the dashboard shows after "Check endpoint"; `findings` are security problems, shown in red.
export type CheckReport = {
  endpointId: string;
  url: string;
  format: WireFormat;
  checkedAt: Date;
  probes: CheckProbe[];
  findings: string[];
  warnings: string[];
  tlsVersion: string | null;
  certExpiresAt: Date | null;
};

export const CERT_WARNING_DAYS = 14;
const STALE_SECONDS = 600;
const DAY = 86_400_000;

const LABELS: Record<ProbeKind, string> = {
  signed: 'Correctly signed request',
  forged: 'Forged signature (signed with another secret)',
  stale: 'Stale timestamp (correctly signed, 10 minutes old)',
};

// Sends the endpoint a correctly signed test, one signed with a random other secret and (standard format) one with a
// 10-minute-old timestamp, straight through the sender (nothing is stored as a delivery), and reports what it accepted.
// Audited as endpoint.checked.
export async function checkEndpoint(actor: Actor, endpointId: string, opts: { sender?: Sender; now?: () => number } = {}): Promise<CheckReport> {
  assertCan(actor, 'events.test');
  const orgId = actor.orgId;
  const now = opts.now ?? Date.now;
  const endpoint = await getEndpoint(orgId, endpointId);
  const secrets = (await loadSecrets(await getDb(), [endpoint.id], now())).get(endpoint.id) ?? [];
  if (secrets.length === 0) throw new UserError('The endpoint has no live signing secret; rotate its secret to issue a new one.');
  const { type, data } = await sampleEvent(orgId, endpoint.eventTypes);
  const custom = sendableCustomHeaders(await endpointHeadersForSending(orgId, endpoint.id));

  const send = async (kind: ProbeKind): Promise<AttemptResult> => {
    const id = newId('evt');
    const nowMs = now();
    const body = encodeBody(endpoint.format, { id, type, timestamp: new Date(nowMs), data });
    const signWith = kind === 'forged' ? [generateSecret()] : secrets;
    const seconds = Math.floor(nowMs / 1000) - (kind === 'stale' ? STALE_SECONDS : 0);
    const headers = { ...custom, 'content-type': 'application/json', ...signatureHeaders({ format: endpoint.format, secrets: signWith, id, timestamp: seconds, body }) };
    return sender.send({ url: endpoint.url, headers, body });
  };

  const e = env();
  const sender = opts.sender ?? createSender({ timeoutMs: e.WEBHOOK_TIMEOUT_MS, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE_TARGETS });
  const kinds: ProbeKind[] = endpoint.format === 'standard' ? ['signed', 'forged', 'stale'] : ['signed', 'forged'];
  const results = new Map<ProbeKind, AttemptResult>();
  try {
    // One after another, so the receiver's log reads in this order; an endpoint that cannot be reached gets one try.
    for (const kind of kinds) {
      results.set(kind, await send(kind));
      if (results.get('signed')!.status === undefined) break;
    }
  } finally {
    if (!opts.sender) await sender.close();
  }

  const signed = results.get('signed')!;
  const probes = kinds.map((kind) => {
    const r = results.get(kind);
    if (r) return judge(kind, r, signed);
    return {
      kind, label: LABELS[kind], expect: 'reject' as const, status: null, latencyMs: 0, failureMessage: null,
      verdict: 'inconclusive' as const, message: 'Not sent: the endpoint could not be reached with the correctly signed request.', timings: null,
    };
  });
  const findings = probes.filter((p) => p.verdict === 'finding').map((p) => p.message);
  await recordAudit(await getDb(), actor, 'endpoint.checked', endpoint.id, { findings: findings.length });
  const warnings = probes.filter((p) => p.verdict === 'warning').map((p) => p.message);
  const certExpiresAt = signed.peerCertExpiresAt ?? null;
  if (certExpiresAt && certExpiresAt.getTime() - now() < CERT_WARNING_DAYS * DAY) {
    const days = Math.max(0, Math.floor((certExpiresAt.getTime() - now()) / DAY));
    warnings.push(
      `The endpoint's TLS certificate expires on ${certExpiresAt.toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'}); renew it before then or deliveries will fail.`,
    );
  }
  return {
    endpointId: endpoint.id,
    url: endpoint.url,
    format: endpoint.format,
    checkedAt: new Date(now()),
    probes,
    findings,
    warnings,
    tlsVersion: signed.tlsVersion ?? null,
    certExpiresAt,
  };
}

// An event type the endpoint subscribes to, with its sample data, so a receiver that routes by type accepts it.
async function sampleEvent(orgId: string, subscribed: string[]): Promise<{ type: string; data: Record<string, unknown> }> {
  const catalog = await listEventTypes(orgId);
  const pick = subscribed.includes('*') ? catalog[0] : catalog.find((t) => subscribed.includes(t.name));
  if (pick) return { type: pick.name, data: pick.sample };
  return { type: subscribed.find((t) => t !== '*') ?? 'hookrelay.check', data: {} };
}

function outcome(r: AttemptResult): string {
  return r.status !== undefined ? `HTTP ${r.status}` : (r.failureMessage ?? 'no answer');
}

function judge(kind: ProbeKind, r: AttemptResult, signed: AttemptResult): CheckProbe {
  const base = {
    kind,
    label: LABELS[kind],
    expect: kind === 'signed' ? ('accept' as const) : ('reject' as const),
    status: r.status ?? null,
    latencyMs: r.latencyMs,
    failureMessage: r.failureMessage ?? null,
    timings: r.timings ? { ...r.timings, totalMs: r.latencyMs } : null,
  };
  if (kind === 'signed') {
    if (r.ok) return { ...base, verdict: 'pass', message: `Accepted a correctly signed request (${outcome(r)}).` };
    if (r.status === undefined) return { ...base, verdict: 'warning', message: `Could not reach your endpoint: ${outcome(r)}` };
    const hint = r.status === 401 || r.status === 403
      ? ' Check that the receiver uses this endpoint\'s current secret and verifies the raw request body.'
      : ' A receiver should answer 2xx to every correctly signed event.';
    return { ...base, verdict: 'warning', message: `Your endpoint rejected a correctly signed request (${outcome(r)}).${hint}` };
  }
  if (r.ok) {
    return kind === 'forged'
      ? {
          ...base,
          verdict: 'finding',
          message:
            'Your endpoint accepted a forged signature: a request signed with a random secret got ' +
            `${outcome(r)}, so anyone can send it events. Verify every request with the endpoint's secret and answer 401 on a mismatch.`,
        }
      : {
          ...base,
          verdict: 'finding',
          message:
            `Your endpoint accepted a replayed (stale) timestamp: a correctly signed request from 10 minutes ago got ${outcome(r)}. ` +
            'Reject webhook-timestamp values more than 5 minutes from now, so a captured request cannot be replayed.',
        };
  }
  if (!signed.ok) {
    return {
      ...base,
      verdict: 'inconclusive',
      message: `Rejected (${outcome(r)}), but the correctly signed request was rejected too, so this shows nothing about ${kind === 'forged' ? 'signature checks' : 'timestamp checks'}.`,
    };
  }
  return {
    ...base,
    verdict: 'pass',
    message: kind === 'forged' ? `Rejected a forged signature (${outcome(r)}).` : `Rejected a stale timestamp (${outcome(r)}).`,
  };
}
