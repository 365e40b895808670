import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const TAG_BYTES = 16;
const IV_BYTES = 12;
const PART = /^[A-Za-z0-9_-]*$/;

// Seals a stored value with AES-256-GCM, bound to `context` (associated data naming what it seals, such as
// "endpoint-secret:ep_…"): "v2.<iv>.<tag>.<ciphertext>", each base64url. Opening it under another context fails.
export function seal(plaintext: string, keyBase64: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keyBase64), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

// Opens a v2 sealed value under the context it was sealed for; throws when it was tampered with, sealed under
// another key or for another context (a value moved to another endpoint), or is not a v2 value.
export function open(sealed: string, keyBase64: string, context: string): string {
  const { iv, tag, ct } = partsOf(sealed, 'v2');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(keyBase64), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}

// Opens a value of the first format ("v1.…", no associated data), only to seal it again as v2 (lib/crypto/reseal.ts).
export function openLegacy(sealed: string, keyBase64: string): string {
  const { iv, tag, ct } = partsOf(sealed, 'v1');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(keyBase64), iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
}

// Whether a stored string has the shape of a sealed value of the given version (says nothing of whether it opens).
export function isSealed(value: string, version: 'v1' | 'v2' = 'v2'): boolean {
  try {
    partsOf(value, version);
    return true;
  } catch {
    return false;
  }
}

// The parts of a sealed value; a tag of any length other than 16 bytes (a truncated tag) is refused.
function partsOf(sealed: string, version: 'v1' | 'v2'): { iv: Buffer; tag: Buffer; ct: Buffer } {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== version || !parts.slice(1).every((p) => PART.test(p))) {
    throw new Error('sealed value is malformed');
  }
  const iv = Buffer.from(parts[1]!, 'base64url');
  const tag = Buffer.from(parts[2]!, 'base64url');
  if (iv.length !== IV_BYTES) throw new Error('sealed value is malformed');
  if (tag.length !== TAG_BYTES) throw new Error('sealed value has a truncated or overlong authentication tag');
  return { iv, tag, ct: Buffer.from(parts[3]!, 'base64url') };
}

function keyOf(keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_ENCRYPTION_KEY must be base64 of 32 bytes');
  return key;
}
