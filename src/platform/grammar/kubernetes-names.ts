/**
 * Names as the Kubernetes API server validates them (k8s.io/apimachinery/pkg/util/validation).
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** An RFC 1123 subdomain: the name of a Secret, ConfigMap and most objects (≤ 253 characters). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A key of a Secret or ConfigMap. */
export function isSecretKey(value: string): boolean {
  return value.length <= 253 && CONFIG_MAP_KEY.test(value) && value !== '.' && value !== '..';
}

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain, the name ≤ 63 characters. */
export function isQualifiedName(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : value.slice(0, slash);
  const name = slash < 0 ? value : value.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

export const DNS_SUBDOMAIN_HINT = 'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit (at most 253)';
export const SECRET_KEY_HINT = 'use letters, digits, "-", "_" and "." (at most 253)';
export const QUALIFIED_NAME_HINT = 'use [prefix/]name: an optional DNS-subdomain prefix, then up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** A label value: empty, or up to 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export const LABEL_VALUE_HINT = 'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or an empty value)';
