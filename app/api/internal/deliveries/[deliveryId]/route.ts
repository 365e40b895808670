import { deliveryJson } from '@/lib/webhooks/delivery-json';
import { getDelivery } from '@/lib/webhooks/deliveries';
import { errorAnswer, json, sessionMember, unauthorized } from '@/app/api/internal/session';

export const dynamic = 'force-dynamic';

const BODY_PREVIEW = 2000;

// One delivery and its latest attempt's result, for the "Send test event" result panel (session cookie only).
export async function GET(_req: Request, { params }: { params: Promise<{ deliveryId: string }> }) {
  const member = await sessionMember();
  if (!member) return unauthorized();
  const { deliveryId } = await params;
  try {
    const { delivery, attempts } = await getDelivery(member.orgId, deliveryId);
    const last = attempts.at(-1);
    const body = last?.responseBody ?? null;
    return json({
      delivery: deliveryJson(delivery),
      lastAttempt: last
        ? {
            number: last.number,
            finished: last.finishedAt !== null,
            responseStatus: last.responseStatus,
            latencyMs: last.latencyMs,
            failureCause: last.failureCause,
            failureMessage: last.failureMessage,
            responseBody: body && body.length > BODY_PREVIEW ? `${body.slice(0, BODY_PREVIEW)}…` : body,
          }
        : null,
    });
  } catch (e) {
    return errorAnswer(e, 'GET /api/internal/deliveries/{id}');
  }
}
