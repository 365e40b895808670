import { createHash } from 'node:crypto';

// SHA-256 of a publish request's canonical body (its validated { type, data } as compact JSON, data's key order kept,
// since that order reaches receivers): the same key with another body is told apart and answered 409.
export function publishRequestHash(body: { type: string; data: Record<string, unknown> }): string {
  return createHash('sha256').update(JSON.stringify({ type: body.type, data: body.data }), 'utf8').digest('hex');
}
