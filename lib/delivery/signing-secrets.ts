// An endpoint secret as the worker reads it: opened text and its lifetime.
export type SecretRow = { secret: string; createdAt: Date; expiresAt: Date | null };

// The live secrets of an endpoint in the order signatureHeaders wants: a rotated-out secret still in its grace
// period first (receivers hold it until the cutover, so the vendor header keeps using it), then the current one.
// Expired secrets are dropped; among secrets of the same kind the newest comes first.
export function orderSigningSecrets(rows: readonly SecretRow[], now: Date): string[] {
  const t = now.getTime();
  const live = rows.filter((r) => r.expiresAt === null || r.expiresAt.getTime() > t);
  const grace = live.filter((r) => r.expiresAt !== null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const current = live.filter((r) => r.expiresAt === null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return [...grace, ...current].map((r) => r.secret);
}
