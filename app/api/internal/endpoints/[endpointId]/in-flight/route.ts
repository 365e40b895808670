import { countInFlight } from '@/lib/webhooks/stats';
import { json, sessionMember, unauthorized } from '@/app/api/internal/session';

export const dynamic = 'force-dynamic';

// How many of an endpoint's deliveries are still pending, for the "Replay failed" progress (session cookie only).
export async function GET(_req: Request, { params }: { params: Promise<{ endpointId: string }> }) {
  const member = await sessionMember();
  if (!member) return unauthorized();
  const { endpointId } = await params;
  return json({ pending: await countInFlight(member.orgId, endpointId) });
}
