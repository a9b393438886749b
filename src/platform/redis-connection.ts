import { Endpoint } from './endpoint';
import { INetworkPeer } from './network';
import { PlatformSecret } from './secret';

/**
 * What a client needs to use a Redis-compatible store: the contract between a CacheCluster and
 * its consumers (services, the gateway's distributed rate-limit store).
 */
export interface IRedisConnection {
  /** Where clients connect: the primary (replication mode) or a cluster entry point (cluster mode). */
  readonly redisEndpoint: Endpoint;
  /**
   * The AUTH password (or token), when the store requires one.
   *
   * @default no authentication
   */
  readonly redisPassword?: PlatformSecret;
  /** Whether clients must connect with TLS. */
  readonly redisTls: boolean;
  /**
   * The certificate authority clients verify the store's certificate with (a Secret key to mount
   * as a file), when TLS is on and the certificate is not publicly trusted.
   *
   * @default none: no TLS, or a certificate the system trust store verifies
   */
  readonly redisTlsCa?: PlatformSecret;
  /** Whether the store runs in cluster mode (clients must follow MOVED/ASK redirects). */
  readonly redisClusterMode: boolean;
  /** Admits `peer` to the store's port. */
  allowFrom(peer: INetworkPeer): void;
}
