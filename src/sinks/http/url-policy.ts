import { type Issue, type IssuePath, issue } from '../../errors/issue.js';
import { REDACTED } from './webhook-secret.js';

/** Where an integration may send. The factories check with `{}`; the engine checks again with its own policy. */
export type UrlPolicy = {
  /** Hosts allowed, exact and case-insensitive, or `*.example.com` for any subdomain. Absent = any host. */
  readonly allowHosts?: readonly string[];
  /** Allow link-local and cloud metadata addresses (169.254.169.254 and friends). @default false */
  readonly allowPrivateMetadata?: boolean;
};

/** Names that resolve to a cloud instance metadata service from inside that cloud. */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
]);

/** 169.254.169.254 (AWS, GCP, Azure, OCI) sits in link-local; Alibaba's 100.100.100.200 does not. */
const METADATA_V4: ReadonlySet<number> = new Set([ipv4(169, 254, 169, 254), ipv4(100, 100, 100, 200)]);

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** The WHATWG parser has already turned decimal, hex and octal spellings into dotted decimal. */
function parseIpv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const [a, b, c, d] = parts.map(Number) as [number, number, number, number];
  return ipv4(a, b, c, d);
}

/** Eight 16-bit groups of a bracketed IPv6 host; the WHATWG serialiser never writes a dotted tail. */
function parseIpv6(host: string): number[] | undefined {
  if (!host.startsWith('[') || !host.endsWith(']')) return undefined;
  const halves = host.slice(1, -1).split('::');
  if (halves.length > 2) return undefined;
  const split = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(':'));
  const head = split(halves[0]);
  const tail = split(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

/** The IPv4 address an IPv6 address carries: mapped, translated, compatible and NAT64 (64:ff9b::/96) forms. */
function embeddedIpv4(g: readonly number[]): number | undefined {
  const low = (((g[6] ?? 0) << 16) | (g[7] ?? 0)) >>> 0;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(5) && g[5] === 0xffff) return low;
  if (zeroTo(4) && g[4] === 0xffff && g[5] === 0) return low;
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return low;
  // ::a.b.c.d (deprecated "compatible"); :: and ::1 are not IPv4.
  if (zeroTo(6) && low > 1) return low;
  return undefined;
}

/** Why a host is refused without `allowPrivateMetadata`, or undefined when it is not. */
function metadataProblem(host: string): string | undefined {
  const name = host.replace(/\.+$/, '');
  if (METADATA_NAMES.has(name)) return 'a cloud metadata host';
  const v6 = parseIpv6(name);
  if (v6 !== undefined) {
    if (((v6[0] ?? 0) & 0xffc0) === 0xfe80) return 'a link-local address (fe80::/10)';
    if (v6.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return 'a cloud metadata address';
  }
  const v4 = v6 === undefined ? parseIpv4(name) : embeddedIpv4(v6);
  if (v4 === undefined) return undefined;
  if (METADATA_V4.has(v4)) return 'a cloud metadata address';
  if (v4 >>> 16 === (169 << 8) + 254) return 'a link-local address (169.254.0.0/16)';
  return undefined;
}

/** An allow-list entry in the form the URL parser gives hosts, so `0x7f.1` and `127.0.0.1` are one entry. */
function canonicalHost(entry: string): string {
  const lower = entry.trim().toLowerCase().replace(/\.+$/, '');
  if (lower.startsWith('*.')) return lower;
  try {
    const parsed = new URL(`http://${lower}/`);
    return parsed.port === '' && parsed.username === '' ? parsed.hostname : lower;
  } catch {
    return lower;
  }
}

function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const name = host.replace(/\.+$/, '');
  return allowHosts.some((entry) => {
    const allowed = canonicalHost(entry);
    if (!allowed.startsWith('*.')) return allowed === name;
    const suffix = allowed.slice(1);
    return name.length > suffix.length && name.endsWith(suffix);
  });
}

export type CheckUrlOptions = {
  /** The URL is itself a credential (a Slack webhook URL): issues show `[redacted]` in its place. @default false */
  readonly secret?: boolean;
};

/**
 * Is this URL one we may POST to? Parsed with the WHATWG URL parser, which normalises the tricks
 * (`http://2852039166/`, `http://0xA9FEA9FE/`, `[::ffff:169.254.169.254]`) before we look.
 * DNS names that resolve to a refused address are not caught here: that needs a check at connect time.
 */
export function checkUrl(
  url: string,
  policy: UrlPolicy = {},
  path: IssuePath = ['url'],
  options: CheckUrlOptions = {},
): Issue[] {
  const secret = options.secret === true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [issue('invalid_format', path, 'expected an absolute http or https URL', secret ? REDACTED : url)];
  }
  const issues: Issue[] = [];
  const hasCredentials = parsed.username !== '' || parsed.password !== '';
  // Never echo credentials back in an issue: show the URL without them, or nothing of a secret one.
  const shown = secret ? REDACTED : hasCredentials ? withoutCredentials(parsed) : url;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    issues.push(issue('invalid_value', path, 'only http and https URLs are allowed', shown));
  }
  if (hasCredentials) {
    issues.push(
      issue('invalid_value', path, 'credentials in the URL are not allowed (use accessToken)', shown),
    );
  }
  const problem = policy.allowPrivateMetadata === true ? undefined : metadataProblem(parsed.hostname);
  if (problem !== undefined) issues.push(issue('invalid_value', path, `the host is ${problem}`, shown));
  if (policy.allowHosts !== undefined && !hostAllowed(parsed.hostname, policy.allowHosts)) {
    issues.push(issue('invalid_value', path, `the host ${parsed.hostname} is not in allowHosts`, shown));
  }
  return issues;
}

function withoutCredentials(parsed: URL): string {
  const copy = new URL(parsed.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}
