import { describe, expect, it } from 'vitest';
import { orderSigningSecrets } from './signing-secrets';

const at = (s: string) => new Date(`2025-01-01T${s}:00Z`);

describe('orderSigningSecrets', () => {
  it('puts the previous secret first while its grace period lasts', () => {
    const rows = [
      { secret: 'whsec_new', createdAt: at('10:00'), expiresAt: null },
      { secret: 'whsec_old', createdAt: at('09:00'), expiresAt: at('12:00') },
    ];
    expect(orderSigningSecrets(rows, at('11:00'))).toEqual(['whsec_old', 'whsec_new']);
  });

  it('drops the previous secret once its grace period ends', () => {
    const rows = [
      { secret: 'whsec_old', createdAt: at('09:00'), expiresAt: at('12:00') },
      { secret: 'whsec_new', createdAt: at('10:00'), expiresAt: null },
    ];
    expect(orderSigningSecrets(rows, at('12:00'))).toEqual(['whsec_new']);
    expect(orderSigningSecrets(rows, at('13:00'))).toEqual(['whsec_new']);
  });

  it('signs with the only secret of an endpoint that never rotated', () => {
    expect(orderSigningSecrets([{ secret: 'whsec_a', createdAt: at('09:00'), expiresAt: null }], at('10:00'))).toEqual(['whsec_a']);
    expect(orderSigningSecrets([], at('10:00'))).toEqual([]);
  });
});
