import { AllowFromOptions } from './access-purpose';
import { Endpoint } from './endpoint';
import { INetworkPeer } from './network';
import { PlatformSecret } from './secret';

/**
 * What a platform component needs to use a Redis-compatible store as the store's own AUTH user:
 * the contract between a CacheCluster (or a Redis of your own) and the gateway's distributed
 * rate-limit store (`rateLimit.store`).
 *
 * It is not how a workload uses a cache: `CacheCluster.connect(client, options?)` gives each
 * `IPlatformClient` a least-privilege user of its own (a key prefix, an access level) and its
 * environment, which this interface cannot express. A service wired by hand through these members
 * shares the store's AUTH password; use it only for what `connect` cannot do (Pub/Sub, several
 * key prefixes).
 */
export interface IRedisConnection {
  /**
   * Where clients connect: the primary (replication mode) or a cluster entry point (cluster mode).
   * A `CacheCluster` gives the same object as its `endpoint`.
   */
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
  /**
   * Admits `peer` to the store: consumers call it with the default purpose, the store's client
   * port (`AccessPurpose.CLIENT`), as `CacheCluster.allowFrom` does.
   *
   * @param peer who may connect
   * @param options which port; the same options as every construct's `allowFrom`
   */
  allowFrom(peer: INetworkPeer, options?: AllowFromOptions): void;
}
