import { platformHandlers } from '@/lib/api/platform-handlers';

export const dynamic = 'force-dynamic';

export const POST = platformHandlers.createPortalSession;
export const DELETE = platformHandlers.endPortalSessions;
