import { CacheUserSpec } from './access';
import { Endpoint } from '../platform/endpoint';
import { MetricsSource } from '../platform/metrics';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';

/** What a renderer hands back to the construct: resources, wiring, and target-specific mutators. */
export interface CacheHandle<R> {
  readonly resources: R;
  readonly endpoint: Endpoint;
  readonly password?: PlatformSecret;
  readonly tls: boolean;
  /** The CA clients verify the cache with, when it is not publicly trusted (Kubernetes TLS). */
  readonly tlsCa?: PlatformSecret;
  readonly sentinelEndpoint?: Endpoint;
  readonly metricsSource?: MetricsSource;
  allowFrom(peer: NetworkPeer): void;
  /** Admits `peer` to the metrics port alone. */
  allowMetricsFrom(peer: NetworkPeer): void;
  /** Creates the user of a connected service (once per user) and returns its password reference. */
  addUser(user: CacheUserSpec): PlatformSecret;
}
