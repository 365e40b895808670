import type { AlertType } from '@/db/schema';

export const ALERT_TYPES_INFO: Record<AlertType, { title: string }> = {
  'endpoint.failing': { title: 'is failing' },
  'endpoint.disabled': { title: 'was disabled' },
  'endpoint.enabled': { title: 'was enabled again' },
  'delivery.exhausted': { title: 'failed a delivery for good' },
};

// The `data` of an alert, in this key order (what the operational webhook and the emails carry).
export type AlertData = {
  endpointId: string;
  url: string;
  reason: string;
  disableAt?: string;
  deliveryId?: string;
  lastStatus?: number | null;
  cause?: string | null;
};

// Marks an alert's event (events.request_hash): never published by a tenant.
export const ALERT_EVENT_MARK = 'alert-event';

// The alert data with its keys in contract order and the absent ones left out.
export function alertData(d: AlertData): AlertData {
  const out: AlertData = { endpointId: d.endpointId, url: d.url, reason: d.reason };
  if (d.disableAt !== undefined) out.disableAt = d.disableAt;
  if (d.deliveryId !== undefined) out.deliveryId = d.deliveryId;
  if (d.lastStatus !== undefined) out.lastStatus = d.lastStatus;
  if (d.cause !== undefined) out.cause = d.cause;
  return out;
}

// What to do, in a sentence, for each alert (emails and the dashboard banner say the same).
export function advice(type: AlertType, d: AlertData): string {
  switch (type) {
    case 'endpoint.failing':
      return `Fix the receiver so it answers 2xx; unless a delivery succeeds, the endpoint is disabled at ${d.disableAt ?? 'the end of 5 days of failures'}.`;
    case 'endpoint.disabled':
      return 'Fix the receiver, then Enable the endpoint: its waiting deliveries go out again, and failed ones can be replayed.';
    case 'endpoint.enabled':
      return 'Nothing to do: deliveries go out again.';
    case 'delivery.exhausted':
      return 'Fix the receiver, then Replay the delivery (or Replay failed on the endpoint).';
  }
}
