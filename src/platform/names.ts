import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Whether `value` is an RFC 1035 label: a name valid for Kubernetes Services and Cloud Map alike. */
export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}

/** Throws unless `value` is an RFC 1035 label. */
export function validateDnsLabel(scope: IConstruct, prop: string, value: string): void {
  if (Token.isUnresolved(value) || isDnsLabel(value)) return;
  throw new PlatformValidationError(invalidPropMessage(scope, prop, 'is not a DNS label', value,
    'use 1-63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'));
}

/** A DNS label derived from a construct id: `UserApi` → `user-api`. */
export function dnsLabelFromId(id: string): string {
  const label = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'component';
}
