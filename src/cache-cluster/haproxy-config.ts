import { CONFIG_DIR } from './kubernetes-pods';
import { minReplicasToWrite } from './redis-config';
import { CacheClusterSpec } from './spec';
import { TLS_DIR, TLS_KEYS } from './tls';
import { configComment, configPath, configWord } from '../platform/escape/config-file';

/** The gate script's file name in the configuration directory. */
export const PROXY_GATE_FILE = 'primary-gate.lua';

/** One Redis node HAProxy may route to. */
export interface ProxyBackendServer {
  /** Server name in HAProxy's logs and stats (the pod name). */
  readonly name: string;
  /** `host:port`. */
  readonly address: string;
}

/** Where the proxy listens and how it finds its backends; Kubernetes uses the defaults. */
export interface ProxyLayout {
  /** Port clients connect to. @default the spec's port */
  readonly port?: number;
  /** Port of `/healthz` (liveness) and `/ready` (readiness). @default 8404 */
  readonly healthPort?: number;
  /** Resolve backend hostnames at run time through the pod's resolv.conf (pods change IP). @default true */
  readonly dnsResolution?: boolean;
  /** Address to bind. @default every address */
  readonly bindAddress?: string;
  /** Path of the gate script (`renderProxyGateScript`). @default '/etc/cache/primary-gate.lua' */
  readonly gateScript?: string;
  /** CA file the health checks verify the nodes with, when the spec has TLS. @default '/etc/cache-tls/ca.crt' */
  readonly caFile?: string;
}

export const PROXY_HEALTH_PORT = 8404;

/**
 * Health-check timing of the proxy (ms). A node that became primary is UP after one passing check
 * (rise 1): it was verified by it, and the gate still waits until it is the only one UP. A primary
 * that stops answering `role:master` is DOWN after two failed checks, so one slow reply does not
 * cut every client session.
 */
export const PROXY_CHECKS = { interMs: 500, fastinterMs: 250, downinterMs: 500, timeoutMs: 2000 };

/**
 * How long the proxy's `leaving` check may take to notice a primary's hand-over marker: one
 * check interval of a DOWN server plus one check. The preStop script waits this long before it
 * pauses writes, so by then no proxy opens a new session to the node.
 */
export function handoverNoticeMs(): number {
  return PROXY_CHECKS.downinterMs * 2 + 500;
}

/** How long a client connection may wait for a primary: a failure detection and an election. */
export function proxyHoldMs(spec: CacheClusterSpec): number {
  return spec.kubernetes.failureDetectionMs + 10_000;
}

/** The marker a primary's preStop sets while it hands its role over (it is never promoted again). */
export const HANDOVER_MARKER = { config: 'replica-priority', value: '0' };

/**
 * haproxy.cfg of the stable primary endpoint. Backend `primary` checks every node with AUTH +
 * `INFO replication` (the password comes from the REDIS_PASSWORD environment variable, never from
 * the file); backend `leaving`, which carries no traffic, finds the nodes that carry the hand-over
 * mark of a primary's preStop.
 * The gate script (`renderProxyGateScript`) holds each new client until exactly one verified
 * primary is selected, so no client is ever sent to a replica, not even in the first second after
 * the proxy starts. When a node is demoted, its client sessions are cut so clients reconnect.
 */
export function renderHaproxyConfig(spec: CacheClusterSpec, servers: readonly ProxyBackendServer[], layout: ProxyLayout = {}): string {
  const dns = layout.dnsResolution ?? true;
  const bind = layout.bindAddress ?? '';
  const c = PROXY_CHECKS;
  const resolve = dns ? ['resolvers cluster resolve-prefer ipv4 init-addr none'] : [];
  // Client TLS passes through to the node (mode tcp, no ssl on bind or server): only the checks
  // open TLS themselves, and refuse a node whose certificate the CA did not sign.
  const tls = spec.kubernetes.tls ? [`verify required ca-file ${configPath(layout.caFile ?? `${TLS_DIR}/${TLS_KEYS.ca}`)}`] : [];
  const primaryServer = [
    `check inter ${c.interMs}ms fastinter ${c.fastinterMs}ms downinter ${c.downinterMs}ms rise 1 fall 2`,
    'on-marked-down shutdown-sessions',
    ...resolve,
    ...tls,
  ].join(' ');
  const leavingServer = [`check inter ${c.downinterMs}ms downinter ${c.downinterMs}ms rise 1 fall 1`, ...resolve, ...tls].join(' ');
  // One pipelined exchange ending in QUIT: Redis closes the connection, so a reply without the
  // expected text fails the check at once instead of at the check timeout.
  const check = (commands: string[], expect: string) => [
    '  option tcp-check',
    spec.kubernetes.tls ? '  tcp-check connect ssl' : '  tcp-check connect',
    `  tcp-check send "${['AUTH ${REDIS_PASSWORD}', ...commands, 'QUIT'].map(cmd => `${cmd}\\r\\n`).join('')}"`,
    `  tcp-check expect ${expect}`,
  ];
  // A primary that would answer NOREPLICAS (min-replicas-to-write) is not a usable primary yet.
  const writable = minReplicasToWrite(spec) > 0 ? ['  tcp-check expect rstring min_slaves_good_slaves:[1-9]'] : [];
  // "$1\r\n0\r\n": the bulk-string value 0 in the CONFIG GET reply.
  const markerHex = Buffer.from(`$${HANDOVER_MARKER.value.length}\r\n${HANDOVER_MARKER.value}\r\n`).toString('hex');
  return [
    `# Stable primary endpoint of ${configComment(spec.name)}. Generated by cdk-portable-platform.`,
    'global',
    '  log stdout format raw local0 notice',
    '  maxconn 4096',
    `  lua-load ${layout.gateScript ?? `${CONFIG_DIR}/${PROXY_GATE_FILE}`}`,
    '',
    'defaults',
    '  mode tcp',
    '  log global',
    '  option tcplog',
    '  option clitcpka',
    '  option srvtcpka',
    '  timeout connect 3s',
    // Redis clients keep pooled and Pub/Sub connections open for a long time.
    '  timeout client 1h',
    '  timeout server 1h',
    `  timeout check ${c.timeoutMs}ms`,
    '',
    ...(dns ? [
      'resolvers cluster',
      '  parse-resolv-conf',
      '  hold valid 5s',
      '  hold obsolete 5s',
      '',
    ] : []),
    'frontend redis',
    `  bind ${bind}:${layout.port ?? spec.port}`,
    // A new client waits (it is never refused) while no single verified primary is selected.
    `  tcp-request inspect-delay ${proxyHoldMs(spec)}ms`,
    '  tcp-request content lua.await_primary',
    '  tcp-request content reject unless { lua.primary_selected -m bool }',
    '  default_backend primary',
    '',
    'backend primary',
    // All traffic to the first healthy primary, so a transient second primary never splits writes.
    '  balance first',
    ...check(['INFO replication'], 'string role:master'),
    ...writable,
    `  default-server ${primaryServer}`,
    ...servers.map(s => `  server ${configWord(s.name)} ${configWord(s.address)}`),
    '',
    '# Check only, no traffic: a server is UP here while its node carries the hand-over mark.',
    'backend leaving',
    ...check([`CONFIG GET ${HANDOVER_MARKER.config}`], `binary ${markerHex}`),
    `  default-server ${leavingServer}`,
    ...servers.map(s => `  server ${configWord(s.name)} ${configWord(s.address)}`),
    '',
    'frontend health',
    '  mode http',
    `  bind ${bind}:${layout.healthPort ?? PROXY_HEALTH_PORT}`,
    '  http-request return status 200 content-type text/plain string ok if { path /healthz }',
    '  http-request return status 200 content-type text/plain string ok if { path /ready } { lua.primary_selected -m bool }',
    '  http-request return status 503 content-type text/plain string no-primary if { path /ready }',
    '  http-request deny',
    '',
  ].join('\n');
}
