import { platformHandlers } from '@/lib/api/platform-handlers';

export const dynamic = 'force-dynamic';

export const GET = platformHandlers.listTenants;
