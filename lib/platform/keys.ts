import { createHash, timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';

// The platform keys of HOOKRELAY_PLATFORM_KEYS (two during a rotation); empty when the platform API is off.
export function platformKeys(): readonly string[] {
  return env().HOOKRELAY_PLATFORM_KEYS;
}

export function platformApiEnabled(): boolean {
  return platformKeys().length > 0;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

// Which configured key a bearer value is (a short, stable id of it for rate limits), or null. Every key is compared
// in constant time, whatever matches first.
export function matchPlatformKey(presented: string): string | null {
  const given = digest(presented);
  let found: string | null = null;
  for (const key of platformKeys()) {
    const d = digest(key);
    if (timingSafeEqual(d, given) && found === null) found = `pk_${d.toString('hex').slice(0, 12)}`;
  }
  return found;
}
