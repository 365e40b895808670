// The org-scoped domain operations of webhooks: what server actions and the REST API call.
export * from './audit';
export * from './json-schema';
export * from './endpoints';
export * from './secrets';
export * from './event-types';
export * from './members';
