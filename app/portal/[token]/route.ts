import { handlePortalLink } from '@/lib/platform/portal-http';

export const dynamic = 'force-dynamic';

// Redeems a platform's portal link (or answers the 403 "no longer valid" page).
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  return handlePortalLink((await params).token);
}
