import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../errors';
import { CIDR_HINT, isCidr } from '../grammar/cidr';
import { isPinnedImageReference } from '../grammar/image-reference';
import { DNS_SUBDOMAIN_HINT, isDnsSubdomain } from '../grammar/kubernetes-names';
import { OwnedCredential } from '../owned-credentials';
import { secretReferenceProblems } from '../secret';
import { CERTIFICATE_DEFAULTS, validity } from './cert-manager';
import { CertificateOptions, CertificateProvisioning } from './certificate-provisioning';
import { CredentialProvisioning } from './credential-provisioning';

const MINIMUM_CERTIFICATE_DURATION = Duration.hours(1);
const MINIMUM_RENEW_BEFORE = Duration.minutes(5);

/** Problems with `credentials`, checked when the platform is created. */
export function credentialProvisioningProblems(scope: IConstruct, provisioning: CredentialProvisioning): string[] {
  const eso = provisioning.externalSecretsOptions;
  if (eso) {
    const problems: string[] = [];
    const stores = [eso.secretStore, ...(eso.remoteSecrets ?? []).map(r => r.store)];
    for (const store of stores) {
      if (store && !Token.isUnresolved(store.storeName) && !isDnsSubdomain(store.storeName)) {
        problems.push(invalidPropMessage(scope, 'credentials.secretStore', 'has an invalid store name', store.storeName, DNS_SUBDOMAIN_HINT));
      }
    }
    const seen = new Map<string, string>();
    for (const [i, remote] of (eso.remoteSecrets ?? []).entries()) {
      const prop = `credentials.remoteSecrets[${i}]`;
      problems.push(...secretReferenceProblems(scope, `${prop}.secret`, remote.secret));
      if (!remote.secret.secretName) continue;
      if (remote.remoteKey.trim() === '' || remote.remoteKey !== remote.remoteKey.trim()) {
        problems.push(invalidPropMessage(scope, `${prop}.remoteKey`, 'is empty or has surrounding whitespace', remote.remoteKey, 'the key of the secret in your store'));
      }
      if (!remote.store && !eso.secretStore) {
        problems.push(invalidPropMessage(scope, `${prop}.store`, 'is not set and there is no default store', undefined,
          'set credentials: CredentialProvisioning.externalSecrets({ secretStore }) or the remote secret\'s store'));
      }
      const id = `${remote.secret.secretName}/${remote.secret.key}`;
      if (seen.has(id)) problems.push(invalidPropMessage(scope, prop, `maps the same Secret key as ${seen.get(id)}`, id, 'map each Secret key once'));
      seen.set(id, prop);
    }
    problems.push(...storesPerSecretProblems(scope, provisioning));
    return problems;
  }
  const job = provisioning.generatorJobOptions;
  if (job) {
    const problems: string[] = [];
    for (const cidr of job.apiServerCidrs ?? []) {
      if (!isCidr(cidr)) problems.push(invalidPropMessage(scope, 'credentials.apiServerCidrs', 'has an invalid CIDR block', cidr, CIDR_HINT));
    }
    const ports = job.apiServerPorts;
    if (ports && (ports.length === 0 || ports.some(p => !Number.isInteger(p) || p < 1 || p > 65535))) {
      problems.push(invalidPropMessage(scope, 'credentials.apiServerPorts', 'must list TCP ports', ports, 'integers from 1 to 65535, e.g. [443, 6443]'));
    }
    if (job.image !== undefined && !isPinnedImageReference(job.image)) {
      problems.push(invalidPropMessage(scope, 'credentials.image', 'is not a pinned image reference', job.image, 'name:tag (not latest) or name@sha256:digest'));
    }
    if (job.runAsUser !== undefined && (!Number.isInteger(job.runAsUser) || job.runAsUser < 1)) {
      problems.push(invalidPropMessage(scope, 'credentials.runAsUser', 'must be a non-root user ID', job.runAsUser, 'an integer of 1 or more'));
    }
    return problems;
  }
  return [];
}

function storesPerSecretProblems(scope: IConstruct, provisioning: CredentialProvisioning): string[] {
  const eso = provisioning.externalSecretsOptions!;
  const storeOf = new Map<string, string>();
  const problems: string[] = [];
  for (const remote of eso.remoteSecrets ?? []) {
    const store = remote.store ?? eso.secretStore;
    if (!remote.secret.secretName || !store) continue;
    const id = `${store.storeKind}/${store.storeName}`;
    const first = storeOf.get(remote.secret.secretName);
    if (first !== undefined && first !== id) {
      problems.push(invalidPropMessage(scope, 'credentials.remoteSecrets', `reads Secret ${remote.secret.secretName} from two stores`, [first, id],
        'read the keys of one Secret from one store'));
    }
    storeOf.set(remote.secret.secretName, first ?? id);
  }
  return problems;
}

/** Problems found when the provisioner renders: a Secret cannot be both generated and copied from a store. */
export function ownedRemoteSecretProblems(scope: IConstruct, provisioning: CredentialProvisioning, owned: readonly OwnedCredential[]): string[] {
  const ownedSecrets = new Map(owned.map(c => [c.secretName, c.ownerPath]));
  return (provisioning.externalSecretsOptions?.remoteSecrets ?? []).flatMap((remote, i) => {
    const owner = remote.secret.secretName ? ownedSecrets.get(remote.secret.secretName) : undefined;
    return owner === undefined ? [] : [invalidPropMessage(scope, `credentials.remoteSecrets[${i}]`, `names Secret ${remote.secret.secretName}, which ${owner} owns and the operator generates`,
      `${remote.secret.secretName}/${remote.secret.key}`, 'pass your own secret to that construct\'s props instead, or map another Secret')];
  });
}

/** Problems with `certificates`, checked when the platform is created. */
export function certificateProvisioningProblems(scope: IConstruct, provisioning: CertificateProvisioning): string[] {
  const problems: string[] = [];
  const issuer = provisioning.certManagerOptions?.issuerRef;
  if (issuer && !Token.isUnresolved(issuer.issuerName) && !isDnsSubdomain(issuer.issuerName)) {
    problems.push(invalidPropMessage(scope, 'certificates.issuerRef', 'has an invalid issuer name', issuer.issuerName, DNS_SUBDOMAIN_HINT));
  }
  const options: CertificateOptions | undefined = provisioning.certManagerOptions ?? provisioning.selfSignedCaOptions;
  if (options) {
    const v = validity(options.duration, options.renewBefore, CERTIFICATE_DEFAULTS.duration, CERTIFICATE_DEFAULTS.renewBefore);
    problems.push(...validityProblems(scope, 'certificates', v.duration, v.renewBefore));
  }
  const ca = provisioning.selfSignedCaOptions;
  if (ca) {
    const v = validity(ca.caDuration, ca.caRenewBefore, CERTIFICATE_DEFAULTS.caDuration, CERTIFICATE_DEFAULTS.caRenewBefore);
    problems.push(...validityProblems(scope, 'certificates.ca', v.duration, v.renewBefore));
  }
  return problems;
}

function validityProblems(scope: IConstruct, prop: string, duration: Duration, renewBefore: Duration): string[] {
  const problems: string[] = [];
  const durationProp = prop === 'certificates' ? 'certificates.duration' : 'certificates.caDuration';
  const renewProp = prop === 'certificates' ? 'certificates.renewBefore' : 'certificates.caRenewBefore';
  if (duration.toSeconds() < MINIMUM_CERTIFICATE_DURATION.toSeconds()) {
    problems.push(invalidPropMessage(scope, durationProp, 'is shorter than cert-manager accepts', duration.toHumanString(), 'at least 1 hour'));
  }
  if (renewBefore.toSeconds() < MINIMUM_RENEW_BEFORE.toSeconds()) {
    problems.push(invalidPropMessage(scope, renewProp, 'is shorter than cert-manager accepts', renewBefore.toHumanString(), 'at least 5 minutes'));
  }
  if (renewBefore.toSeconds() >= duration.toSeconds()) {
    problems.push(invalidPropMessage(scope, renewProp, `must be shorter than ${durationProp} (${duration.toHumanString()})`, renewBefore.toHumanString(),
      'renew some time before the certificate expires'));
  }
  return problems;
}
