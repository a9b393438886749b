/**
 * A cert-manager issuer that signs the gateway's certificate.
 */
export interface CertManagerOptions {
  /** Name of the Issuer or ClusterIssuer, e.g. `letsencrypt-prod`. */
  readonly issuerName: string;
  /**
   * Kind of the issuer.
   *
   * @default 'ClusterIssuer'
   */
  readonly issuerKind?: string;
  /**
   * Secret cert-manager writes the certificate into.
   *
   * @default '<gatewayName>-tls'
   */
  readonly secretName?: string;
}

/**
 * Where the gateway's TLS certificate comes from on Kubernetes.
 */
export class TlsSource {
  /** An existing `kubernetes.io/tls` Secret (keys `tls.crt` and `tls.key`). */
  public static secret(secretName: string): TlsSource {
    return new TlsSource(secretName, undefined);
  }

  /** A cert-manager `Certificate` for the gateway's domainName, emitted with the gateway. */
  public static certManager(options: CertManagerOptions): TlsSource {
    return new TlsSource(options.secretName, options);
  }

  private constructor(
    /** The Secret holding the certificate; undefined means the gateway's default name. */
    public readonly secretName: string | undefined,
    /** cert-manager settings, when cert-manager issues the certificate. */
    public readonly certManagerOptions: CertManagerOptions | undefined,
  ) {}
}
