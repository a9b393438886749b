import { CacheClusterMode } from './engine';
import { CacheTopology } from './kubernetes-pods';
import { CacheClusterSpec, usesSentinels } from './spec';
import { configPath } from '../platform/escape/config-file';
import { PlatformSecret } from '../platform/secret';

/*
 * Redis TLS on Kubernetes. One certificate (the `kubernetes.io/tls` Secret `tlsSecretName`) serves
 * every node and Sentinel; it carries the names in {@link cacheTlsDnsNames}. Clients authenticate
 * with ACL users, not certificates (`tls-auth-clients no`); replication, the cluster bus and the
 * Sentinels' connections are TLS too. The proxy passes client TLS through to the primary, so it
 * needs only the CA for its health checks, never the private key.
 */

/** Where the TLS Secret is mounted in every cache pod. */
export const TLS_DIR = '/etc/cache-tls';
/** Keys of a `kubernetes.io/tls` Secret with its CA, as cert-manager writes them. */
export const TLS_KEYS = { ca: 'ca.crt', cert: 'tls.crt', key: 'tls.key' } as const;
/** The environment variable that tells the scripts (redis-cli) to use TLS with this CA file. */
export const TLS_CA_ENV = 'TLS_CA_FILE';

/** The CA clients verify the cache with. */
export function cacheTlsCa(spec: CacheClusterSpec): PlatformSecret {
  return PlatformSecret.named(spec.kubernetes.tlsSecretName, TLS_KEYS.ca);
}

/**
 * redis.conf (or sentinel.conf) lines that replace `port <port>`: a TLS port only, no plain-text
 * port. `tls-replication` makes replicas (and Sentinels) connect to their primary with TLS and, on
 * a Sentinel, also its peers; `tls-cluster` encrypts the cluster bus.
 */
export function renderTlsPortLines(spec: CacheClusterSpec, port: number, dir: string, sentinel: boolean): string[] {
  const file = (name: string) => configPath(`${dir.replace(/\/+$/, '')}/${name}`);
  return [
    '# TLS only: clients, replication and peers. Clients log in with ACL users, not certificates.',
    'port 0',
    `tls-port ${port}`,
    `tls-cert-file ${file(TLS_KEYS.cert)}`,
    `tls-key-file ${file(TLS_KEYS.key)}`,
    `tls-ca-cert-file ${file(TLS_KEYS.ca)}`,
    'tls-auth-clients no',
    'tls-replication yes',
    ...(!sentinel && spec.mode === CacheClusterMode.CLUSTER ? ['tls-cluster yes'] : []),
  ];
}

/** redis-cli arguments of an exec probe: TLS with the mounted CA when TLS is on. */
export function probeTlsArgs(spec: CacheClusterSpec): string {
  return spec.kubernetes.tls ? `--tls --cacert ${TLS_DIR}/${TLS_KEYS.ca} ` : '';
}

/**
 * The DNS names the certificate must carry: the client Service (with its short forms), every node
 * and Sentinel (`<pod>.<headless service>`, as a wildcard) and their headless Services.
 */
export function cacheTlsDnsNames(topology: CacheTopology): string[] {
  const { spec, platform } = topology;
  const services = [spec.name, topology.nodesService, ...(usesSentinels(spec) ? [topology.sentinels] : [])];
  const fqdn = (service: string) => platform.serviceHost(service);
  return [
    fqdn(spec.name),
    `${spec.name}.${platform.namespace}.svc`,
    `${spec.name}.${platform.namespace}`,
    spec.name,
    ...services.slice(1).flatMap(s => [fqdn(s), `*.${fqdn(s)}`]),
  ];
}
