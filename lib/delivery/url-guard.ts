import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyIp, PRIVATE_TARGET_KINDS, type IpClass } from './ip-ranges';

// Resolves a hostname to its IP addresses; throws (or returns []) when it does not resolve.
export type Resolver = (hostname: string) => Promise<string[]>;

// The guard's answer: the parsed URL and every address it may be connected to, or a sentence saying what to fix.
export type UrlCheck = { ok: true; url: URL; addresses: string[] } | { ok: false; message: string };

// The system resolver (getaddrinfo, so /etc/hosts counts), every address in the order the system gives.
export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

// Decides whether Hookrelay may send to a URL, per DESIGN.md "Outbound URL guard"; used at save time and at every connect.
export async function checkUrl(url: string, opts: { resolve?: Resolver; allowPrivate?: boolean } = {}): Promise<UrlCheck> {
  const allowPrivate = opts.allowPrivate === true;
  const refuse = (message: string): UrlCheck => ({ ok: false, message });

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(url.trim())?.[1];
    if (port !== undefined && Number(port) > 65535) return refuse(`Port ${port} is not a valid port; use a port from 1 to 65535.`);
    return refuse(`"${clip(url)}" is not a valid URL; enter a full address such as https://hooks.example.com/webhooks.`);
  }
  if (parsed.protocol !== 'https:') {
    return refuse(`Only https:// URLs are accepted (this one starts with ${parsed.protocol}); use the endpoint's https:// address.`);
  }
  if (parsed.username || parsed.password) {
    return refuse('Credentials in the URL are not accepted; remove the "user:password@" part and verify webhooks with the signing secret instead.');
  }
  if (parsed.port === '0') return refuse('Port 0 is not a valid port; use a port from 1 to 65535.');

  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const bare = host.replace(/\.+$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) {
    const alt = allowPrivate ? 'use 127.0.0.1 or a real hostname instead' : 'use a public hostname instead';
    return refuse(`${host} is a localhost name, which Hookrelay never sends to; ${alt}.`);
  }
  if (!host) return refuse(`"${clip(url)}" has no host; enter a full address such as https://hooks.example.com/webhooks.`);

  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (!code || NOT_FOUND.has(code)) return refuse(`${host} does not resolve; check the hostname for typos and that its DNS records exist.`);
      return refuse(`${host} could not be resolved right now (${code}); check the hostname and try again.`);
    }
    if (addresses.length === 0) return refuse(`${host} does not resolve; check the hostname for typos and that its DNS records exist.`);
  }

  for (const address of addresses) {
    if (!isIP(address.split('%')[0])) return refuse(`${host} resolved to something that is not an IP address; check its DNS records.`);
    const c = classifyIp(address);
    if (c && !(allowPrivate && PRIVATE_TARGET_KINDS.has(c.kind))) return refuse(describe(c, host, allowPrivate));
  }
  return { ok: true, url: parsed, addresses };
}

// "10.0.0.5 is a private address; …" for an address the user typed, names its class and what to do. For a name,
// "hooks.example.com resolves to a private or reserved address; …": which internal address is never echoed, so the
// guard cannot be used to map a network's private DNS.
function describe(c: IpClass, host: string, allowPrivate: boolean): string {
  const context = c.embeddedIn ? ` (embedded in the IPv6 address ${c.embeddedIn})` : '';
  const never = c.kind === 'link_local' || c.kind === 'metadata';
  const fix = never
    ? 'Hookrelay never sends to link-local or cloud metadata addresses'
    : PRIVATE_TARGET_KINDS.has(c.kind) && !allowPrivate
      ? 'webhooks can only go to public internet addresses unless the operator allows private targets'
      : 'webhooks can only go to public internet addresses';
  if (!isIP(host)) return `${host} resolves to a private or reserved address, not a public one; ${fix}.`;
  return `${c.address} is ${c.label}${context}; ${fix}.`;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
