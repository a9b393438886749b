import { Duration } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubernetesPlatform } from '../kubernetes-platform';
import { CertificateIssuerReference, CertificateKeyAlgorithm, CertificateOptions, CertificateProvisioning } from './certificate-provisioning';
import { goDuration } from './go-duration';
import { OwnedCertificate } from './owned-certificates';

export const CERT_MANAGER_API_VERSION = 'cert-manager.io/v1';
const COMPONENT = 'certificates';

export const CERTIFICATE_DEFAULTS = {
  keyAlgorithm: CertificateKeyAlgorithm.ECDSA_P256,
  duration: Duration.days(90),
  renewBefore: Duration.days(30),
  caDuration: Duration.days(3650),
  caRenewBefore: Duration.days(365),
};

/** The cert-manager objects the platform emits (`KubernetesPlatform.provisionedCertificates`). */
export interface CertificateProvisioningResources {
  /** One per owned TLS Secret. */
  readonly certificates: ApiObject[];
  /**
   * The self-signed Issuer that signs the CA certificate.
   *
   * @default none unless `CertificateProvisioning.selfSignedCa()`
   */
  readonly selfSignedIssuer?: ApiObject;
  /**
   * The CA certificate.
   *
   * @default none unless `CertificateProvisioning.selfSignedCa()`
   */
  readonly caCertificate?: ApiObject;
  /**
   * The CA Issuer that signs the data stores' certificates.
   *
   * @default none unless `CertificateProvisioning.selfSignedCa()`
   */
  readonly caIssuer?: ApiObject;
}

/**
 * Usages of a data store's certificate: it serves TLS and also presents itself to its peers
 * (replica-set members, RabbitMQ nodes), hence client auth. Key encipherment is for RSA keys only.
 */
export function certificateUsages(algorithm: CertificateKeyAlgorithm): string[] {
  return ['digital signature', ...(algorithm.algorithm === 'RSA' ? ['key encipherment'] : []), 'server auth', 'client auth'];
}

/** `duration` and `renewBefore` with their defaults: renewBefore is 30 days, or a third of a shorter duration. */
export function validity(duration: Duration | undefined, renewBefore: Duration | undefined, defaultDuration: Duration, defaultRenewBefore: Duration) {
  const d = duration ?? defaultDuration;
  const third = Duration.seconds(Math.floor(d.toSeconds() / 3));
  return { duration: d, renewBefore: renewBefore ?? (third.toSeconds() < defaultRenewBefore.toSeconds() ? third : defaultRenewBefore) };
}

function privateKey(algorithm: CertificateKeyAlgorithm) {
  return { algorithm: algorithm.algorithm, size: algorithm.size, rotationPolicy: 'Always' };
}

function goDurations(v: { duration: Duration; renewBefore: Duration }) {
  return { duration: goDuration(v.duration), renewBefore: goDuration(v.renewBefore) };
}

/** Renders the Certificates, and the self-signed CA chain when asked. cert-manager writes `ca.crt` from the issuer's CA. */
export function renderCertificates(
  scope: Construct, platform: KubernetesPlatform, owned: readonly OwnedCertificate[], provisioning: CertificateProvisioning,
): CertificateProvisioningResources {
  const metadata = (name: string) => platform.metadata(name, COMPONENT, scope);
  const options: CertificateOptions = provisioning.certManagerOptions ?? provisioning.selfSignedCaOptions ?? {};
  const algorithm = options.keyAlgorithm ?? CERTIFICATE_DEFAULTS.keyAlgorithm;
  let issuer: CertificateIssuerReference;
  let chain: Omit<CertificateProvisioningResources, 'certificates'> = {};

  if (provisioning.selfSignedCaOptions) {
    const ca = provisioning.selfSignedCaOptions;
    const selfSignedName = `${platform.platformName}-selfsigned`;
    const caName = `${platform.platformName}-ca`;
    const selfSignedIssuer = new ApiObject(scope, 'SelfSignedIssuer', {
      apiVersion: CERT_MANAGER_API_VERSION, kind: 'Issuer', metadata: metadata(selfSignedName), spec: { selfSigned: {} },
    });
    const caCertificate = new ApiObject(scope, 'CaCertificate', {
      apiVersion: CERT_MANAGER_API_VERSION,
      kind: 'Certificate',
      metadata: metadata(caName),
      spec: {
        isCA: true,
        commonName: `${platform.platformName} ${platform.namespace} CA`,
        secretName: caName,
        ...goDurations(validity(ca.caDuration, ca.caRenewBefore, CERTIFICATE_DEFAULTS.caDuration, CERTIFICATE_DEFAULTS.caRenewBefore)),
        privateKey: privateKey(algorithm),
        usages: ['cert sign', 'crl sign', 'digital signature'],
        issuerRef: { name: selfSignedName, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });
    const caIssuer = new ApiObject(scope, 'CaIssuer', {
      apiVersion: CERT_MANAGER_API_VERSION, kind: 'Issuer', metadata: metadata(caName), spec: { ca: { secretName: caName } },
    });
    chain = { selfSignedIssuer, caCertificate, caIssuer };
    issuer = CertificateIssuerReference.issuer(caName);
  } else {
    issuer = provisioning.certManagerOptions!.issuerRef;
  }

  const certificates = owned.map(cert => new ApiObject(scope, `Certificate-${cert.secretName}`, {
    apiVersion: CERT_MANAGER_API_VERSION,
    kind: 'Certificate',
    metadata: metadata(cert.secretName),
    spec: {
      secretName: cert.secretName,
      secretTemplate: { labels: { ...platform.commonLabels(), 'app.kubernetes.io/component': COMPONENT } },
      dnsNames: cert.dnsNames,
      ...goDurations(validity(options.duration, options.renewBefore, CERTIFICATE_DEFAULTS.duration, CERTIFICATE_DEFAULTS.renewBefore)),
      privateKey: privateKey(algorithm),
      usages: certificateUsages(algorithm),
      issuerRef: { name: issuer.issuerName, kind: issuer.issuerKind, group: 'cert-manager.io' },
    },
  }));
  return { certificates, ...chain };
}
