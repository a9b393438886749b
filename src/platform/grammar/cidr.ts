import { isIPv4, isIPv6 } from 'net';

/**
 * An IPv4 or IPv6 CIDR block: an address Node's parser accepts (dotted quad without leading
 * zeros, or RFC 4291 text) and a prefix length within the family (≤ 32, ≤ 128).
 */
export function isCidr(value: string): boolean {
  const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(value);
  if (!m) return false;
  const prefix = Number(m[2]);
  if (isIPv4(m[1])) return prefix <= 32;
  return isIPv6(m[1]) && !m[1].includes('%') && prefix <= 128;
}

export const CIDR_HINT = 'use CIDR notation, e.g. "203.0.113.0/24" or "2001:db8::/32"';
