import { Endpoint } from '../platform/endpoint';
import { MetricsSource } from '../platform/metrics';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';
import { ServiceCluster } from '../service-cluster/service-cluster';

/** Environment variables `connectService` hands to a service. */
export const CLIENT_ENV = {
  uri: 'MONGODB_URI',
  database: 'MONGODB_DATABASE',
  username: 'MONGODB_USERNAME',
  password: 'MONGODB_PASSWORD',
  caFile: 'MONGODB_TLS_CA_FILE',
} as const;

/** What a renderer hands back to the construct: resources plus target-specific wiring. */
export interface MongoClusterHandle<R> {
  readonly resources: R;
  readonly endpoint: Endpoint;
  readonly adminSecret: PlatformSecret;
  readonly metricsSource?: MetricsSource;
  /** Target-specific options appended to every connection string (`&key=value…`). */
  readonly connectionOptions: string;
  /** Admits `peer` to the cluster's endpoint. */
  allowFrom(peer: NetworkPeer): void;
  /** Admits `peer` to the metrics endpoints. */
  allowMetricsFrom(peer: NetworkPeer): void;
  /** Gives `service` what TLS needs beyond the environment (e.g. the CA file), returning extra variables. */
  prepareService(service: ServiceCluster): Record<string, string>;
}
