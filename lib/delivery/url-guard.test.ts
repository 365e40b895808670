import { describe, expect, it, vi } from 'vitest';
import { checkUrl, type Resolver } from './url-guard';
import { classifyIp, embeddedIPv4, ipv6Groups } from './ip-ranges';

// A map-backed resolver: no real DNS in tests.
const records: Record<string, string[] | Error> = {
  'internal.example.test': ['10.0.0.5'],
  'mixed.example.test': ['93.184.216.34', '127.0.0.1'],
  'public.example.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'meta.example.test': ['169.254.169.254'],
  'ula.example.test': ['fd12:3456::1'],
  'weird.example.test': ['not-an-ip'],
  'empty.example.test': [],
  'flaky.example.test': Object.assign(new Error('queryA EAI_AGAIN'), { code: 'EAI_AGAIN' }),
};
const resolver: Resolver = async (host) => {
  const r = records[host];
  if (r instanceof Error) throw r;
  if (!r) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return r;
};

const HTTPS_ONLY = /only https:\/\/ URLs are accepted/i;
const loop = (a = '127.0.0.1') => new RegExp(`^${a.replace(/\./g, '\\.')} is a loopback address`);

// Hostile or malformed URLs and the message each must be refused with (private targets not allowed).
const refused: [string, RegExp][] = [
  ['http://example.com/hook', HTTPS_ONLY],
  ['http://127.0.0.1:8443/x', HTTPS_ONLY],
  ['ftp://example.com/file', HTTPS_ONLY],
  ['javascript:alert(1)', HTTPS_ONLY],
  ['file:///etc/passwd', HTTPS_ONLY],
  ['not a url at all', /is not a valid URL/],
  ['', /is not a valid URL/],
  ['https://', /is not a valid URL/],
  ['https://user:pw@example.com/hook', /^Credentials in the URL are not accepted/],
  ['https://token@example.com/hook', /^Credentials in the URL are not accepted/],
  ['https://public.example.test:0/hook', /^Port 0 is not a valid port/],
  ['https://public.example.test:99999/hook', /^Port 99999 is not a valid port/],
  ['https://localhost/hook', /^localhost is a localhost name/],
  ['https://foo.localhost/hook', /^foo\.localhost is a localhost name/],
  ['https://LOCALHOST.:8443/hook', /^localhost\. is a localhost name/],
  ['https://127.0.0.1/hook', loop()],
  ['https://127.1/hook', loop()],
  ['https://2130706433/hook', loop()],
  ['https://0x7f.1/hook', loop()],
  ['https://017700000001/hook', loop()],
  ['https://10.0.0.1/hook', /^10\.0\.0\.1 is a private address/],
  ['https://172.16.5.4/hook', /^172\.16\.5\.4 is a private address/],
  ['https://192.168.1.1/hook', /^192\.168\.1\.1 is a private address/],
  ['https://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a cloud metadata address.*never sends/],
  ['https://169.254.1.1/hook', /^169\.254\.1\.1 is a link-local address/],
  ['https://100.64.0.1/hook', /^100\.64\.0\.1 is a carrier-grade NAT/],
  ['https://100.100.100.200/hook', /^100\.100\.100\.200 is a cloud metadata address/],
  ['https://224.0.0.1/hook', /^224\.0\.0\.1 is a multicast address/],
  ['https://255.255.255.255/hook', /^255\.255\.255\.255 is the broadcast address/],
  ['https://240.0.0.1/hook', /^240\.0\.0\.1 is a reserved address/],
  ['https://0.0.0.0/hook', /^0\.0\.0\.0 is an unspecified address/],
  ['https://0/hook', /^0\.0\.0\.0 is an unspecified address/],
  ['https://0.1.2.3/hook', /^0\.1\.2\.3 is a reserved \("this network"\) address/],
  ['https://192.0.2.1/hook', /^192\.0\.2\.1 is a documentation-only address/],
  ['https://198.51.100.7/hook', /^198\.51\.100\.7 is a documentation-only address/],
  ['https://203.0.113.9/hook', /^203\.0\.113\.9 is a documentation-only address/],
  ['https://198.18.0.1/hook', /^198\.18\.0\.1 is a benchmarking address/],
  ['https://[::1]/hook', loop('::1')],
  ['https://[::]/hook', /^:: is an unspecified address/],
  ['https://[::ffff:127.0.0.1]/hook', /^127\.0\.0\.1 is a loopback address \(embedded in the IPv6 address ::ffff:7f00:1\)/],
  ['https://[::ffff:10.1.2.3]/hook', /^10\.1\.2\.3 is a private address \(embedded in/],
  ['https://[64:ff9b::7f00:1]/hook', /^127\.0\.0\.1 is a loopback address \(embedded in the IPv6 address 64:ff9b::7f00:1\)/],
  ['https://[64:ff9b::a9fe:a9fe]/hook', /^169\.254\.169\.254 is a cloud metadata address \(embedded in/],
  ['https://[2002:7f00:1::]/hook', /^127\.0\.0\.1 is a loopback address \(embedded in the IPv6 address 2002:7f00:1::\)/],
  ['https://[2002:a00:5::1]/hook', /^10\.0\.0\.5 is a private address \(embedded in/],
  ['https://[::7f00:1]/hook', /^127\.0\.0\.1 is a loopback address \(embedded in the IPv6 address ::7f00:1\)/],
  ['https://[fe80::1]/hook', /^fe80::1 is a link-local address/],
  ['https://[fd00:ec2::254]/hook', /^fd00:ec2::254 is a cloud metadata address/],
  ['https://[fc00::5]/hook', /^fc00::5 is a private \(unique local\) address/],
  ['https://[ff02::1]/hook', /^ff02::1 is a multicast address/],
  ['https://[2001:db8::1]/hook', /^2001:db8::1 is a documentation-only address/],
  ['https://[2001::1]/hook', /^2001::1 is a reserved address/],
  ['https://[fec0::1]/hook', /^fec0::1 is a reserved address/],
  ['https://[100::1]/hook', /^100::1 is a reserved address/],
  ['https://[4000::1]/hook', /^4000::1 is a reserved \(not global unicast\) address/],
  ['https://internal.example.test/hook', /^internal\.example\.test resolves to a private or reserved address, not a public one; webhooks can only go/],
  ['https://mixed.example.test/hook', /^mixed\.example\.test resolves to a private or reserved address, not a public one;/],
  ['https://meta.example.test/hook', /^meta\.example\.test resolves to a private or reserved address, not a public one; Hookrelay never sends to link-local or cloud metadata/],
  ['https://ula.example.test/hook', /^ula\.example\.test resolves to a private or reserved address, not a public one;/],
  ['https://nowhere.example.test/hook', /^nowhere\.example\.test does not resolve/],
  ['https://empty.example.test/hook', /^empty\.example\.test does not resolve/],
  ['https://flaky.example.test/hook', /^flaky\.example\.test could not be resolved right now \(EAI_AGAIN\)/],
  ['https://weird.example.test/hook', /^weird\.example\.test resolved to something that is not an IP address/],
];

describe('checkUrl refuses hostile and malformed URLs', () => {
  it('has a table of at least 40 cases', () => expect(refused.length).toBeGreaterThanOrEqual(40));

  it.each(refused)('%s', async (url, message) => {
    const r = await checkUrl(url, { resolve: resolver });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    // One sentence a person can act on.
    expect(r.message).toMatch(/\.$/);
    expect(r.message).not.toMatch(/\n/);
  });

  it('never echoes which internal address a name resolves to', async () => {
    for (const host of ['internal', 'mixed', 'meta', 'ula']) {
      const r = await checkUrl(`https://${host}.example.test/hook`, { resolve: resolver });
      expect(r.ok).toBe(false);
      const resolved = await resolver(`${host}.example.test`);
      for (const address of resolved) if (!r.ok) expect(r.message).not.toContain(address);
    }
  });

  it('says what to do about a private address when private targets are not allowed', async () => {
    const r = await checkUrl('https://10.0.0.1/', { resolve: resolver });
    expect(r).toEqual({ ok: false, message: '10.0.0.1 is a private address; webhooks can only go to public internet addresses unless the operator allows private targets.' });
  });
});

describe('checkUrl with private targets allowed', () => {
  const allowed = ['https://127.0.0.1:8443/x', 'https://10.0.0.1/hook', 'https://[::1]:8443/x', 'https://[::ffff:127.0.0.1]/x', 'https://[fd12::1]/x', 'https://100.64.0.1/x', 'https://internal.example.test/x'];
  it.each(allowed)('accepts %s', async (url) => {
    const r = await checkUrl(url, { resolve: resolver, allowPrivate: true });
    expect(r).toMatchObject({ ok: true });
  });

  it('returns the URL and the checked address for 127.0.0.1', async () => {
    const r = await checkUrl('https://127.0.0.1:8443/x', { resolve: resolver, allowPrivate: true });
    if (!r.ok) throw new Error(r.message);
    expect(r.url.href).toBe('https://127.0.0.1:8443/x');
    expect(r.addresses).toEqual(['127.0.0.1']);
  });

  const stillRefused: [string, RegExp][] = [
    ['https://localhost:8443/x', /^localhost is a localhost name.*use 127\.0\.0\.1/],
    ['https://foo.localhost/x', /^foo\.localhost is a localhost name/],
    ['http://127.0.0.1:8443/x', HTTPS_ONLY],
    ['https://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a cloud metadata address; Hookrelay never sends/],
    ['https://169.254.10.10/x', /^169\.254\.10\.10 is a link-local address; Hookrelay never sends/],
    ['https://[fe80::1]/x', /^fe80::1 is a link-local address/],
    ['https://[fd00:ec2::254]/x', /^fd00:ec2::254 is a cloud metadata address/],
    ['https://[::ffff:169.254.169.254]/x', /^169\.254\.169\.254 is a cloud metadata address/],
    ['https://100.100.100.200/x', /^100\.100\.100\.200 is a cloud metadata address/],
    ['https://meta.example.test/x', /^meta\.example\.test resolves to a private or reserved address, not a public one; Hookrelay never sends to link-local or cloud metadata/],
    ['https://224.0.0.1/x', /^224\.0\.0\.1 is a multicast address/],
    ['https://192.0.2.1/x', /^192\.0\.2\.1 is a documentation-only address/],
    ['https://0.0.0.0/x', /^0\.0\.0\.0 is an unspecified address/],
    ['https://user:pw@127.0.0.1/x', /^Credentials in the URL/],
  ];
  it.each(stillRefused)('still refuses %s', async (url, message) => {
    const r = await checkUrl(url, { resolve: resolver, allowPrivate: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('checkUrl accepts public targets', () => {
  it('returns every address a public name resolves to', async () => {
    const r = await checkUrl('https://public.example.test/hooks?x=1', { resolve: resolver });
    expect(r).toEqual({ ok: true, url: new URL('https://public.example.test/hooks?x=1'), addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
  });

  it.each([
    ['https://1.1.1.1/hook', '1.1.1.1'],
    ['https://[2606:4700:4700::1111]/hook', '2606:4700:4700::1111'],
    ['https://[64:ff9b::808:808]/hook', '64:ff9b::808:808'],
    ['https://[::ffff:8.8.8.8]/hook', '::ffff:808:808'],
  ])('accepts the literal %s without resolving it', async (url, address) => {
    const resolve = vi.fn(resolver);
    const r = await checkUrl(url, { resolve });
    expect(r).toMatchObject({ ok: true, addresses: [address] });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('does not resolve localhost names', async () => {
    const resolve = vi.fn(resolver);
    await checkUrl('https://a.localhost/x', { resolve, allowPrivate: true });
    expect(resolve).not.toHaveBeenCalled();
  });
});

describe('IP parsing', () => {
  it('relies on WHATWG URL parsing to normalize decimal, octal and hex IPv4 hosts', () => {
    for (const host of ['2130706433', '0x7f.1', '017700000001', '127.1', '0x7f000001', '0177.0.0.1']) {
      expect(new URL(`https://${host}/`).hostname).toBe('127.0.0.1');
    }
    expect(() => new URL('https://1.2.3.0x100000000/')).toThrow();
  });

  it('expands IPv6 and extracts embedded IPv4', () => {
    expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(ipv6Groups('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(embeddedIPv4('2002:c000:0201::1')).toBe('192.0.2.1');
    expect(embeddedIPv4('2606:4700::1')).toBeUndefined();
    expect(classifyIp('8.8.8.8')).toBeNull();
    expect(classifyIp('172.32.0.1')).toBeNull();
    expect(classifyIp('fe80::1%eth0')).toMatchObject({ kind: 'link_local' });
  });
});
