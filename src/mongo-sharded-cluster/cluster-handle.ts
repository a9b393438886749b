import { Endpoint } from '../platform/endpoint';
import { MetricsSource } from '../platform/metrics';
import { NetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';
import { PlatformSecret } from '../platform/secret';

/** Environment variables `connect` hands to a workload. */
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
  /** Creates a user with readWrite on `database` only (Kubernetes); AWS refuses before it is called. */
  addServiceUser(user: string, database: string, password: PlatformSecret): void;
  /** Gives `service` what TLS needs beyond the environment (e.g. the CA file), returning extra variables. */
  prepareService(service: IPlatformClient): Record<string, string>;
}
