import { deadLetterQueueName, MessageQueueSpec, workQueueNames } from './spec';

/** AMQP over TLS. Plain AMQP (5672) is switched off. */
export const AMQPS_PORT = 5671;
/** Erlang distribution between the nodes (epmd is not used: the port is fixed). */
export const DIST_PORT = 25672;
/** epmd, which the CLI tools and peers still ask for the distribution port. */
export const EPMD_PORT = 4369;
/** HTTP management API (operators, `rabbitmqadmin`). */
export const MANAGEMENT_PORT = 15672;
/** rabbitmq_prometheus. */
export const PROMETHEUS_PORT = 15692;
/** The virtual host every object of the queue lives in. */
export const VHOST = '/';

/** An application's broker user and what it may do. */
export interface QueueUser {
  /** Broker user name (the application's name, a DNS label). */
  readonly name: string;
  /** May publish to the queue's exchange. */
  readonly publish: boolean;
  /** May consume the work queues. */
  readonly consume: boolean;
}

/** Where the generated rabbitmq.conf points the broker. */
export interface RabbitmqConfOptions {
  /** Erlang node names of every cluster member (classic-config peer discovery). */
  readonly nodes: string[];
  /** Rendered definitions file (users with their passwords, queues, exchanges). */
  readonly definitionsFile: string;
  /** Directory holding `ca.crt`, `tls.crt`, `tls.key`. */
  readonly tlsDir: string;
  readonly amqpsPort?: number;
  readonly managementPort?: number;
  readonly prometheusPort?: number;
  /** Interface the listeners bind to. @default all interfaces */
  readonly bindAddress?: string;
}

/** Name of the exchange publishers send to. */
export function exchangeName(spec: MessageQueueSpec): string {
  return spec.name;
}

/** Name of the dead-letter exchange. */
export function deadLetterExchangeName(spec: MessageQueueSpec): string {
  return `${spec.name}.dlx`;
}

/**
 * rabbitmq.conf (new-style format). Keys valid from RabbitMQ 3.10 on, so the same file runs on the
 * pinned image and on older brokers.
 */
export function renderRabbitmqConf(spec: MessageQueueSpec, options: RabbitmqConfOptions): string {
  const ip = options.bindAddress ? `${options.bindAddress}:` : '';
  const lines = [
    `# RabbitMQ configuration of message queue ${spec.name} (generated)`,
    '# Only AMQPS: plain AMQP is off.',
    'listeners.tcp = none',
    `listeners.ssl.default = ${ip}${options.amqpsPort ?? AMQPS_PORT}`,
    `ssl_options.cacertfile = ${options.tlsDir}/ca.crt`,
    `ssl_options.certfile = ${options.tlsDir}/tls.crt`,
    `ssl_options.keyfile = ${options.tlsDir}/tls.key`,
    'ssl_options.verify = verify_none',
    'ssl_options.fail_if_no_peer_cert = false',
    'ssl_options.versions.1 = tlsv1.3',
    'ssl_options.versions.2 = tlsv1.2',
    `management.tcp.port = ${options.managementPort ?? MANAGEMENT_PORT}`,
    ...(options.bindAddress ? [`management.tcp.ip = ${options.bindAddress}`] : []),
    `prometheus.tcp.port = ${options.prometheusPort ?? PROMETHEUS_PORT}`,
    ...(options.bindAddress ? [`prometheus.tcp.ip = ${options.bindAddress}`] : []),
    '# Per-queue series (depth, consumers) for alerts on the dead-letter queue.',
    'prometheus.return_per_object_metrics = true',
    '# Peers are listed, not discovered through the Kubernetes API: no ServiceAccount token needed.',
    'cluster_formation.peer_discovery_backend = classic_config',
    ...options.nodes.map((node, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${node}`),
    '# A minority side of a partition stops rather than diverging.',
    'cluster_partition_handling = pause_minority',
    '# The visibility timeout: an unacknowledged delivery is returned to the queue after it.',
    `consumer_timeout = ${spec.visibilityTimeoutSeconds * 1000}`,
    '# Users, permissions, exchanges and queues come from the definitions file; no default guest user.',
    'definitions.import_backend = local_filesystem',
    `definitions.local.path = ${options.definitionsFile}`,
    'vm_memory_high_watermark.relative = 0.4',
    `disk_free_limit.absolute = ${Math.max(64, Math.floor(spec.kubernetes.storageMiB / 10))}MB`,
    'log.console = true',
    'log.console.level = info',
    'log.file = false',
    '',
  ];
  return lines.join('\n');
}

/** enabled_plugins: Prometheus metrics and the management API. */
export function renderEnabledPlugins(): string {
  return '[rabbitmq_management,rabbitmq_prometheus].\n';
}

/** Placeholder for a user's password in the definitions template; the start script substitutes it. */
export function passwordPlaceholder(user: string): string {
  return `@@PASSWORD:${user}@@`;
}

/** Environment variable carrying a user's password (from its Secret) into the start script. */
export function passwordEnvName(user: string): string {
  return `RABBITMQ_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The definitions template: quorum work queues (delivery limit, dead-lettering at least once),
 * the dead-letter exchange and queue, the publishers' exchange and each application's user and
 * permissions. Passwords are placeholders: the template is a ConfigMap, and only the start script
 * (reading the users' Secrets) writes the real file, in memory.
 */
export function renderDefinitionsTemplate(spec: MessageQueueSpec, users: readonly QueueUser[]): string {
  const exchange = exchangeName(spec);
  const dlx = deadLetterExchangeName(spec);
  const queues = workQueueNames(spec);
  const durable = { vhost: VHOST, durable: true, auto_delete: false };
  const exchangeObject = (name: string, type: string) => ({ name, ...durable, type, internal: false, arguments: {} });
  const definitions = {
    users: users.map(u => ({ name: u.name, password: passwordPlaceholder(u.name), tags: [] as string[] })),
    vhosts: [{ name: VHOST }],
    permissions: users.map(u => ({
      user: u.name,
      vhost: VHOST,
      configure: '^$',
      write: u.publish ? `^${escapeRegex(exchange)}$` : '^$',
      read: u.consume ? `^(${queues.map(escapeRegex).join('|')})$` : '^$',
    })),
    exchanges: [exchangeObject(exchange, 'direct'), exchangeObject(dlx, 'fanout')],
    queues: [
      ...queues.map(name => ({
        name,
        ...durable,
        arguments: {
          'x-queue-type': 'quorum',
          // Returns allowed before dead-lettering: maxReceiveCount deliveries in all, as SQS counts them.
          'x-delivery-limit': spec.maxReceiveCount - 1,
          'x-dead-letter-exchange': dlx,
          'x-dead-letter-strategy': 'at-least-once',
          // at-least-once dead-lettering needs publishers to be refused, not messages dropped, when full.
          'x-overflow': 'reject-publish',
          'x-message-ttl': spec.retentionSeconds * 1000,
        },
      })),
      {
        name: deadLetterQueueName(spec),
        ...durable,
        arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': spec.deadLetterRetentionSeconds * 1000 },
      },
    ],
    bindings: [
      ...queues.map(name => ({ source: exchange, vhost: VHOST, destination: name, destination_type: 'queue', routing_key: name, arguments: {} })),
      { source: dlx, vhost: VHOST, destination: deadLetterQueueName(spec), destination_type: 'queue', routing_key: '', arguments: {} },
    ],
  };
  return `${JSON.stringify(definitions, undefined, 2)}\n`;
}

/** Paths the start script reads and writes (container paths on Kubernetes, a temp dir in tests). */
export interface StartScriptPaths {
  readonly template: string;
  readonly definitionsFile: string;
  readonly cookieFile: string;
}

/**
 * Start script: installs the Erlang cookie, writes the definitions with the users' passwords
 * (from their Secrets, via environment) to memory, then execs the broker. A password with `"`,
 * `\` or control characters is refused, so it stays data inside the JSON string.
 */
export function renderStartScript(users: readonly QueueUser[], paths: StartScriptPaths): string {
  const checks = users.map(u => {
    const env = passwordEnvName(u.name);
    return [
      `if [ -z "\${${env}:-}" ]; then echo "password of broker user ${u.name} is missing (${env})" >&2; exit 1; fi`,
      `if [ "$(printf '%s' "\$${env}" | wc -l)" -ne 0 ] || printf '%s' "\$${env}" | grep -q '["\\\\[:cntrl:]]'; then echo "password of broker user ${u.name} contains a quote, backslash or control character" >&2; exit 1; fi`,
    ].join('\n');
  });
  // One substitution per line, never re-scanned: a password that contains another user's placeholder stays as it is.
  const substitutions = users.map(u =>
    `  if (index($0, "${passwordPlaceholder(u.name)}")) { print put($0, "${passwordPlaceholder(u.name)}", ENVIRON["${passwordEnvName(u.name)}"]); next }`);
  return [
    '#!/bin/sh',
    'set -eu',
    'umask 077',
    ...checks,
    'rm -f "$HOME/.erlang.cookie"',
    `cp ${paths.cookieFile} "$HOME/.erlang.cookie"`,
    'chmod 0400 "$HOME/.erlang.cookie"',
    'awk \'',
    'function put(s, placeholder, value,   k) {',
    '  k = index(s, placeholder)',
    '  return k == 0 ? s : substr(s, 1, k - 1) value substr(s, k + length(placeholder))',
    '}',
    '{',
    ...substitutions,
    '  print',
    `}' ${paths.template} > ${paths.definitionsFile}.tmp`,
    `mv ${paths.definitionsFile}.tmp ${paths.definitionsFile}`,
    'exec rabbitmq-server',
    '',
  ].join('\n');
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
