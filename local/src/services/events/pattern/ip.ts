import { invalid } from './errors';

/**
 * IP addresses and CIDR blocks, as event-ruler understands them.
 *
 * Only strings that look like an address are considered (IPv4 dotted quad, or IPv6 hex groups with
 * colons; no embedded IPv4, no zone id). Addresses are compared as bytes, so equivalent spellings
 * (`2001:db8::` and `2001:0db8:0000:0000:0000:0000:0000:0000`) are the same address.
 */
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

function parseIpv4(text: string): number[] | undefined {
  const octets = text.split('.').map((part) => Number.parseInt(part, 10));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const bytes: number[] = [];
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    const value = Number.parseInt(group, 16);
    bytes.push(Math.floor(value / 256), value % 256);
  }
  return bytes;
}

/** The 4 or 16 bytes of an address, or `undefined` when `text` is not an IP address literal. */
export function ipBytes(text: string): number[] | undefined {
  if (!looksLikeIp(text)) return undefined;
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

export interface IpRange {
  readonly low: readonly number[];
  readonly high: readonly number[];
}

export function inRange(range: IpRange, address: readonly number[]): boolean {
  return address.length === range.low.length
    && compareBytes(address, range.low) >= 0
    && compareBytes(address, range.high) <= 0;
}

/** `a.split('/')` with Java's semantics (trailing empty strings dropped), as AWS parses CIDRs. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Parses a `cidr` operand, with AWS's validation messages.
 *
 * Surprising AWS behaviour kept on purpose:
 *  - the range starts at the address as written, host bits are NOT zeroed: `10.0.0.7/24` covers
 *    10.0.0.7 – 10.0.0.255, not 10.0.0.0 – 10.0.0.255;
 *  - the mask must be below the address width (IPv4 < 32, IPv6 < 128): `/32` and `/128` are rejected.
 */
export function parseCidr(cidr: string): IpRange {
  const slashed = javaSplit(cidr, '/');
  if (slashed.length !== 2) invalid("Malformed CIDR, one '/' required");
  if (!/^[+-]?[0-9]+$/.test(slashed[1])) invalid('Malformed CIDR, mask bits must be an integer');
  const maskBits = Number.parseInt(slashed[1], 10);
  if (maskBits < 0) invalid('Malformed CIDR, mask bits must not be negative');

  const address = slashed[0];
  if (!looksLikeIp(address)) invalid(`Nonstandard IP address: ${address}`);
  const low = ipBytes(address) ?? invalid(`Invalid IP address: ${address}`);
  if (low.length === 4 && maskBits > 31) invalid('IPv4 mask bits must be < 32');
  if (low.length === 16 && maskBits > 127) invalid('IPv6 mask bits must be < 128');

  let hostBits = low.length * 8 - maskBits;
  const high = [...low];
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    const span = 2 ** Math.min(hostBits, 8); // set the low `hostBits` bits of this byte
    high[i] = high[i] - (high[i] % span) + span - 1;
  }
  return { low, high };
}
