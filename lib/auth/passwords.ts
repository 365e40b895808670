import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane) by @node-rs/argon2, whose async
// API runs on libuv's thread pool, off the event loop. Every character counts (no 72-byte truncation). Hashes made
// by earlier versions with bcrypt ("$2…") still verify, with bcryptjs, and are replaced at the next sign-in.
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let dummy: Promise<string> | undefined;
// A real hash of a random string: unknown emails cost the same work as wrong passwords (no timing oracle).
function dummyHash(): Promise<string> {
  return (dummy ??= hash(`hookrelay-dummy-${Math.random()}`, OPTIONS));
}

// Hashes a password with argon2id.
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Whether a stored hash is from before argon2id (bcrypt) and should be replaced once the password is known.
export function needsRehash(stored: string): boolean {
  return !stored.startsWith('$argon2id$');
}

// Compares a password with a stored hash (argon2id, or a legacy bcrypt one), or with the dummy hash when there is
// no user. A malformed stored hash never verifies.
export async function checkPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (stored === undefined) {
    await verify(await dummyHash(), password).catch(() => false);
    return false;
  }
  if (/^\$2[aby]\$/.test(stored)) return bcrypt.compare(password, stored);
  return verify(stored, password).catch(() => false);
}
