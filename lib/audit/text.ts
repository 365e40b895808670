// Audit-log entries in words: one sentence per action, from the entry's small JSON detail (pure, no database).

type Detail = Record<string, unknown> | null | undefined;

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// "24 h", "7 d", "1 h", "90 s": a grace period or duration in its largest whole unit.
export function durationWords(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 172_800) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function andList(items: string[], max = 4): string {
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  if (more > 0) shown.push(`${more} more`);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

const FIELD_WORDS: Record<string, string> = {
  url: 'the URL', description: 'the description', eventTypes: 'the event types', format: 'the format',
  headers: 'the custom headers', rateLimitPerSecond: 'the rate limit', schema: 'the schema', sample: 'the sample',
};

function events(types: string[]): string {
  if (types.includes('*')) return 'all events';
  return types.length ? andList(types) : 'no event type';
}

// A short, bounded rendering of an unknown entry's detail: "count: 3, since: 2025-01-01T00:00:00.000Z".
function detailWords(detail: Detail): string {
  if (!detail) return '';
  const parts = Object.entries(detail).slice(0, 5).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const text = parts.join(', ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

// The sentence for one audit entry ("Rotated the signing secret; the previous one keeps signing for 24 h.").
// `target` is the target's name as resolved for display (endpoint URL, key name, member email, type name).
export function describeAudit(action: string, detail: Detail, target?: string | null): string {
  const d = detail ?? {};
  switch (action) {
    case 'endpoint.created':
      return `Created the webhook, subscribed to ${events(list(d.eventTypes))}${str(d.format) ? ` in the ${d.format} format` : ''}.`;
    case 'endpoint.updated': {
      const changed = list(d.changed).map((k) => FIELD_WORDS[k] ?? k);
      return changed.length ? `Changed ${andList(changed)} of the webhook.` : 'Changed the webhook.';
    }
    case 'endpoint.deleted':
      return 'Deleted the webhook with its signing secrets and delivery history.';
    case 'endpoint.enabled':
      return str(d.previousReason) ? `Enabled the webhook again (it was disabled: ${d.previousReason})` : 'Enabled the webhook.';
    case 'endpoint.disabled':
      return 'Disabled the webhook; its deliveries wait until it is enabled again, and events published meanwhile are recorded as skipped.';
    case 'endpoint.paused':
      return 'Paused the webhook; no attempts are made and its deliveries wait (new ones included) until it is resumed.';
    case 'endpoint.resumed':
      return 'Resumed the webhook; its waiting deliveries go out now.';
    case 'endpoint.checked':
      return 'Checked the endpoint: TLS, a signed probe and forged-signature and stale-timestamp probes.';
    case 'endpoint.headers_revealed':
      return "Revealed the webhook's custom header values.";
    case 'secret.revealed': {
      const n = num(d.secrets);
      return n && n > 1 ? `Revealed the ${n} live signing secrets.` : 'Revealed the signing secret.';
    }
    case 'secret.rotated': {
      const grace = num(d.graceSeconds) ?? 0;
      const head = grace > 0
        ? `Rotated the signing secret; the previous one keeps signing for ${durationWords(grace)}.`
        : 'Rotated the signing secret; the previous one stopped working at once.';
      return d.olderGraceEnded ? `${head} An older secret still in its grace period stopped at once.` : head;
    }
    case 'secret.grace_ended':
      return 'Ended the grace period; only the current signing secret signs now.';
    case 'event.test_sent': {
      const type = str(d.type) ?? str(d.eventType);
      return `Sent a test ${type ? `${type} ` : ''}event${str(d.eventId) ? ` (${d.eventId})` : ''}.`;
    }
    case 'delivery.replayed':
      return `Replayed a delivery${str(d.eventType) ? ` of ${d.eventType}` : ''}${str(d.eventId) ? ` (${d.eventId})` : ''}: ${
        d.retry === 'schedule' ? 'a new run of the retry schedule' : 'one new attempt'} with the same webhook-id.`;
    case 'deliveries.replayed_failed':
    case 'deliveries.replayed_skipped': {
      const n = num(d.count);
      const since = str(d.since);
      const what = action === 'deliveries.replayed_failed' ? 'failed' : 'skipped';
      const how = d.retry === 'schedule' ? ', each on the retry schedule' : d.retry === 'once' ? ', one attempt each' : '';
      return `Replayed ${n === null ? 'the' : n} ${what} ${n === 1 ? 'delivery' : 'deliveries'}${since ? ` since ${since.slice(0, 16).replace('T', ' ')} UTC` : ''}${how}.`;
    }
    case 'api_key.created':
      return `Created the API key “${str(d.name) ?? target ?? ''}” with the ${str(d.role) ?? 'developer'} role${str(d.prefix) ? ` (${d.prefix}…)` : ''}.`;
    case 'api_key.revoked':
      return `Revoked the API key “${str(d.name) ?? target ?? ''}”; requests with it are refused from now on.`;
    case 'member.added':
      return `Added ${target ?? 'a member'} as ${str(d.role) ?? 'member'}.`;
    case 'member.role_changed':
      return `Changed the role of ${target ?? 'a member'} from ${str(d.from) ?? '?'} to ${str(d.to) ?? '?'}.`;
    case 'member.removed':
      return `Removed ${target ?? 'a member'}${str(d.role) ? ` (${d.role})` : ''} from the organization.`;
    case 'event_type.created':
      return `Added the event type ${target ?? ''} to the catalog.`;
    case 'event_type.updated': {
      const changed = list(d.changed).map((k) => FIELD_WORDS[k] ?? k);
      return `Changed ${changed.length ? andList(changed) : 'the definition'} of the event type ${target ?? ''}.`.replace(' .', '.');
    }
    case 'event_type.deprecated':
      return `Deprecated the event type ${target ?? ''}: no new subscriptions, existing ones still receive it.`;
    case 'event_type.undeprecated':
      return `Made the event type ${target ?? ''} available for new subscriptions again.`;
    case 'alerts.updated': {
      const n = num(d.emails) ?? 0;
      const hook = str(d.webhook);
      const emails = n === 0 ? 'no email address' : `${n} email ${n === 1 ? 'address' : 'addresses'}`;
      const webhook = hook === 'removed' ? '; removed the operational webhook' : hook ? `; ${hook} the operational webhook${str(d.url) ? ` ${d.url}` : ''}` : '';
      return `Set where alerts go: ${emails}${webhook}.`;
    }
    case 'account.password_changed':
      return 'Changed their password.';
    case 'account.signed_out_everywhere':
      return 'Signed out of every session on every device.';
    default: {
      const words = detailWords(detail);
      return `Recorded “${action}”${words ? ` (${words})` : ''}.`;
    }
  }
}

// The action names the audit log knows, in groups, for its filter.
export const AUDIT_ACTIONS = [
  'endpoint.created', 'endpoint.updated', 'endpoint.deleted', 'endpoint.enabled', 'endpoint.disabled',
  'endpoint.paused', 'endpoint.resumed', 'endpoint.checked', 'endpoint.headers_revealed',
  'secret.revealed', 'secret.rotated', 'secret.grace_ended',
  'event.test_sent', 'delivery.replayed', 'deliveries.replayed_failed', 'deliveries.replayed_skipped',
  'api_key.created', 'api_key.revoked',
  'member.added', 'member.role_changed', 'member.removed',
  'event_type.created', 'event_type.updated', 'event_type.deprecated', 'event_type.undeprecated',
  'alerts.updated',
  'account.password_changed', 'account.signed_out_everywhere',
] as const;
