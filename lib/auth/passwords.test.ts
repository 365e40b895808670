import { describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { checkPassword, hashPassword, needsRehash } from './passwords';
import { stallDuring } from '@/test/event-loop';

describe('password hashing', () => {
  it('hashes with argon2id and counts every character (no 72-byte truncation)', async () => {
    const password = 'p'.repeat(72) + 'q'.repeat(28);
    const hash = await hashPassword(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(hash)).toBe(false);
    expect(await checkPassword(password, hash)).toBe(true);
    expect(await checkPassword('p'.repeat(72) + 'r'.repeat(28), hash)).toBe(false); // same first 72 characters
    expect(await checkPassword('p'.repeat(200), await hashPassword('p'.repeat(199)))).toBe(false);
  });

  it('still verifies a legacy bcrypt hash, and marks it for replacement', async () => {
    const legacy = bcrypt.hashSync('old password', 4);
    expect(needsRehash(legacy)).toBe(true);
    expect(await checkPassword('old password', legacy)).toBe(true);
    expect(await checkPassword('wrong password', legacy)).toBe(false);
    expect(await checkPassword('anything', 'not-a-hash')).toBe(false);
    expect(await checkPassword('anything', undefined)).toBe(false);
  });

  it('hashes off the event loop: four at once leave it answering', async () => {
    const { ms: took, stall } = await stallDuring(() => Promise.all([1, 2, 3, 4].map((i) => hashPassword(`password number ${i}`))));
    // the event loop ticked throughout: its longest gap is a small part of the hashing time
    expect(stall).toBeLessThan(Math.max(100, took / 2));
  });
});
