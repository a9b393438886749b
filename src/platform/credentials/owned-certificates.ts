import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from '../errors';
import { DNS_SUBDOMAIN_HINT, isDnsSubdomain } from '../grammar/kubernetes-names';

/** A TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) that a platform construct reads: what a certificate provisioner issues. */
export interface OwnedCertificate {
  /** Name of the Secret. */
  readonly secretName: string;
  /** DNS names the certificate must cover. */
  readonly dnsNames: string[];
  /** Path of the construct that reads it. */
  readonly ownerPath: string;
}

/**
 * The TLS Secrets of one Chart that platform constructs read. Pure bookkeeping, like owned
 * credentials; the certificate provisioner reads `list()`.
 */
export class OwnedCertificateRegistry {
  private readonly bySecret = new Map<string, OwnedCertificate>();

  /** Records that `owner` reads the TLS Secret `secretName`, whose certificate covers `dnsNames`. */
  public declare(owner: IConstruct, secretName: string, dnsNames: readonly string[]): void {
    if (!Token.isUnresolved(secretName) && !isDnsSubdomain(secretName)) {
      throw new PlatformValidationError(invalidPropMessage(owner, 'owned certificate', 'has an invalid Secret name', secretName, DNS_SUBDOMAIN_HINT));
    }
    if (dnsNames.length === 0) {
      throw new PlatformValidationError(invalidPropMessage(owner, 'owned certificate', 'has no DNS name', dnsNames,
        'give the DNS names its clients connect to'));
    }
    const existing = this.bySecret.get(secretName);
    // The same certificate twice (two constructs of one name): the chart's name-collision check names both.
    if (existing && sameNames(existing.dnsNames, dnsNames)) return;
    if (existing) {
      throw new PlatformValidationError(invalidPropMessage(owner, 'owned certificate', `is also read by ${existing.ownerPath}`, secretName,
        'give each construct its own TLS Secret'));
    }
    this.bySecret.set(secretName, { secretName, dnsNames: [...new Set(dnsNames)], ownerPath: owner.node.path });
  }

  /** Every owned certificate, sorted by Secret name. */
  public list(): OwnedCertificate[] {
    return [...this.bySecret.values()].sort((a, b) => a.secretName.localeCompare(b.secretName));
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((name, i) => name === y[i]);
}
