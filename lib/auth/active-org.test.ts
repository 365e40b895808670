import { describe, expect, it } from 'vitest';
import { activeOrgCookieOptions } from './active-org';
import { isHttpsRequest, peerHeaderName } from '@/lib/http/client';

describe('the organization cookie', () => {
  it('is Secure when the request came over HTTPS, by the socket or (TRUST_PROXY) by X-Forwarded-Proto', () => {
    const overTls = new Headers({ [peerHeaderName()]: '10.0.0.1 https' });
    const forwarded = new Headers({ [peerHeaderName()]: '10.0.0.1 http', 'x-forwarded-proto': 'https' });
    expect(activeOrgCookieOptions(isHttpsRequest(overTls, false))).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax' });
    expect(activeOrgCookieOptions(isHttpsRequest(forwarded, false)).secure).toBe(false);
    expect(activeOrgCookieOptions(isHttpsRequest(forwarded, true)).secure).toBe(true);
  });
});
