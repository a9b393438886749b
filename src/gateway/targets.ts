import { ServiceCluster } from '../service-cluster/service-cluster';

/**
 * One side of a weighted (canary) split.
 */
export interface WeightedBackend {
  /** The service receiving this share of the traffic. */
  readonly service: ServiceCluster;
  /** Relative weight (a positive integer); shares are weight / sum of weights. */
  readonly weight: number;
}

/**
 * Where a route sends its requests: one ServiceCluster, a weighted split between ServiceClusters
 * (canary), or an external URL.
 */
export class RouteTarget {
  /** Every request goes to `service` (its platform endpoint; the gateway is admitted with `allowFrom`). */
  public static service(service: ServiceCluster): RouteTarget {
    return new RouteTarget('service', [{ service, weight: 1 }], undefined);
  }

  /**
   * Requests are split between services by weight, e.g. 90/10 between a stable and a canary release.
   */
  public static weighted(backends: WeightedBackend[]): RouteTarget {
    return new RouteTarget('weighted', [...backends], undefined);
  }

  /**
   * An HTTP(S) URL outside the platform, e.g. a SaaS API. The upstream sees its own host name
   * (`passHostHeader: false`), as virtual hosting and TLS SNI require.
   */
  public static url(url: string): RouteTarget {
    return new RouteTarget('url', [], url);
  }

  private constructor(
    /** `service`, `weighted` or `url`. */
    public readonly kind: string,
    /** The services (with weights) this target sends to; empty for a URL. */
    public readonly backends: WeightedBackend[],
    /** The external URL, for `url` targets. */
    public readonly externalUrl: string | undefined,
  ) {}
}
