import { Duration } from 'aws-cdk-lib';

/** A cert-manager Issuer (in the platform's namespace) or ClusterIssuer, by name. */
export class CertificateIssuerReference {
  /** A ClusterIssuer. */
  public static clusterIssuer(name: string): CertificateIssuerReference {
    return new CertificateIssuerReference(name, 'ClusterIssuer');
  }

  /** An Issuer in the platform's namespace. */
  public static issuer(name: string): CertificateIssuerReference {
    return new CertificateIssuerReference(name, 'Issuer');
  }

  private constructor(
    /** Name of the issuer. */
    public readonly issuerName: string,
    /** `Issuer` or `ClusterIssuer`. */
    public readonly issuerKind: string,
  ) {}
}

/** Algorithm and size of a certificate's private key. */
export class CertificateKeyAlgorithm {
  /** ECDSA on P-256. */
  public static readonly ECDSA_P256 = new CertificateKeyAlgorithm('ECDSA', 256);
  /** ECDSA on P-384. */
  public static readonly ECDSA_P384 = new CertificateKeyAlgorithm('ECDSA', 384);
  /** RSA, 2048 bits. */
  public static readonly RSA_2048 = new CertificateKeyAlgorithm('RSA', 2048);
  /** RSA, 3072 bits. */
  public static readonly RSA_3072 = new CertificateKeyAlgorithm('RSA', 3072);
  /** RSA, 4096 bits. */
  public static readonly RSA_4096 = new CertificateKeyAlgorithm('RSA', 4096);

  private constructor(
    /** cert-manager's `privateKey.algorithm`. */
    public readonly algorithm: string,
    /** Key size in bits (curve size for ECDSA). */
    public readonly size: number,
  ) {}
}

/** The certificates the platform issues for its data stores. */
export interface CertificateOptions {
  /**
   * Private key of each certificate (a new key at every renewal).
   *
   * @default CertificateKeyAlgorithm.ECDSA_P256
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /**
   * Validity of each certificate (cert-manager accepts 1 hour or more).
   *
   * @default Duration.days(90)
   */
  readonly duration?: Duration;
  /**
   * How long before expiry cert-manager renews it (5 minutes or more, less than `duration`).
   *
   * @default Duration.days(30), or a third of `duration` when that is shorter
   */
  readonly renewBefore?: Duration;
}

/** Certificates from an issuer you run. */
export interface CertManagerCertificateOptions extends CertificateOptions {
  /**
   * The issuer. It must fill `ca.crt` (a CA, Vault or self-signed issuer does; ACME does not), which
   * the data stores' clients trust.
   */
  readonly issuerRef: CertificateIssuerReference;
}

/** Certificates from a CA the platform creates in its namespace. */
export interface SelfSignedCaOptions extends CertificateOptions {
  /**
   * Validity of the CA certificate.
   *
   * @default Duration.days(3650)
   */
  readonly caDuration?: Duration;
  /**
   * How long before the CA certificate expires cert-manager renews it. Clients trust the `ca.crt`
   * of each data store's Secret, which cert-manager refreshes at the data store's next renewal.
   *
   * @default Duration.days(365), or a third of `caDuration` when that is shorter
   */
  readonly caRenewBefore?: Duration;
}

/**
 * Who issues the TLS Secrets of the platform's data stores (`KubernetesPlatform.ownedCertificates`)
 * on Kubernetes. Every option needs cert-manager except `manual()`. On AWS the managed services
 * bring their own certificates and this has no effect.
 */
export class CertificateProvisioning {
  /** You create each TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) before applying the manifests. */
  public static manual(): CertificateProvisioning {
    return new CertificateProvisioning('manual', undefined, undefined);
  }

  /** A cert-manager `Certificate` per TLS Secret, from your Issuer or ClusterIssuer. */
  public static certManager(options: CertManagerCertificateOptions): CertificateProvisioning {
    return new CertificateProvisioning('cert-manager', options, undefined);
  }

  /**
   * A cert-manager `Certificate` per TLS Secret, from a CA of the platform's own: a self-signed
   * Issuer signs the CA certificate, and a CA Issuer signs the data stores' certificates.
   */
  public static selfSignedCa(options: SelfSignedCaOptions = {}): CertificateProvisioning {
    return new CertificateProvisioning('self-signed-ca', undefined, options);
  }

  private constructor(
    /** `manual`, `cert-manager` or `self-signed-ca`. */
    public readonly mode: string,
    /** Options of `certManager()`. */
    public readonly certManagerOptions: CertManagerCertificateOptions | undefined,
    /** Options of `selfSignedCa()`. */
    public readonly selfSignedCaOptions: SelfSignedCaOptions | undefined,
  ) {}
}
