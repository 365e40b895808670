// The cookie naming the organization a user chose to work in; only honoured while they are a member of it.
export const ACTIVE_ORG_COOKIE = 'hookrelay-org';
