import { platformHandlers } from '@/lib/api/platform-handlers';

export const dynamic = 'force-dynamic';

export const PUT = platformHandlers.upsertTenant;
export const GET = platformHandlers.getTenant;
export const DELETE = platformHandlers.deleteTenant;
