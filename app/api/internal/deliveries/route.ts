import { loadDeliveryPage } from '@/lib/webhooks/delivery-page';
import { parseDeliveryQuery } from '@/lib/webhooks/delivery-query';
import { errorAnswer, json, sessionMember, unauthorized } from '@/app/api/internal/session';

export const dynamic = 'force-dynamic';

// One page of the session organization's deliveries, for the dashboard's live delivery lists (session cookie only).
export async function GET(req: Request) {
  const member = await sessionMember();
  if (!member) return unauthorized();
  const params = new URL(req.url).searchParams;
  const limit = Number(params.get('limit')) || undefined;
  try {
    return json(await loadDeliveryPage(member.orgId, parseDeliveryQuery(params), limit));
  } catch (e) {
    return errorAnswer(e, 'GET /api/internal/deliveries');
  }
}
