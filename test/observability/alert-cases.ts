import { AlertRulesInput } from '../../src/observability/alerting/alert-rules';

/** The rules under test: one job of every kind, the seed's SLOs and the default thresholds. */
export const RULES_INPUT: AlertRulesInput = {
  jobs: [
    // A 1 vCPU / 2 GiB service, and a service-kind source that declares no size.
    { job: 'users', kind: 'service', cpuCores: 1, memoryBytes: 2 * 1024 ** 3 },
    { job: 'legacy', kind: 'service' },
    { job: 'edge', kind: 'gateway' }, { job: 'sessions', kind: 'cache' }, { job: 'catalog-db', kind: 'mongo' }, { job: 'orders', kind: 'queue' },
  ],
  slo: { availability: 0.999, latencyP95Seconds: 0.5, errorRate: 0.01 },
  thresholds: {
    serviceCpuUtilization: 0.9,
    serviceMemoryUtilization: 0.9,
    serviceCpuCores: 0.45,
    serviceMemoryBytes: 966367641.6,
    serviceRestartsPerHour: 3,
    cacheMemoryUtilization: 0.9,
    cacheReplicationLagBytes: 16777216,
    mongoReplicationLagSeconds: 10,
    mongoConnectionsUtilization: 0.8,
    queueBacklogMessages: 1000,
  },
  serviceMetrics: { requests: 'http_requests_total', duration: 'http_request_duration_seconds', statusLabel: 'code', routeLabel: 'route' },
};

interface Series { readonly series: string; readonly values: string }
interface ExpectedAlert { readonly exp_labels: Record<string, string>; readonly exp_annotations: Record<string, string> }

/** One `promtool test rules` case: an alert, input series, when to evaluate, what must fire (nothing when empty). */
export interface AlertCase {
  readonly alert: string;
  readonly name: string;
  readonly series: readonly Series[];
  readonly evalTime: string;
  readonly expected: readonly ExpectedAlert[];
  /** Sample and evaluation interval: day-long windows are evaluated every 5 minutes to keep the test fast. */
  readonly interval?: string;
}

const USERS = 'job="users"';
const SVC = `${USERS}, instance="10.0.0.1:8080"`;
const CACHE = 'job="sessions", instance="10.0.0.2:9121"';
const MONGO = 'job="catalog-db", instance="10.0.0.5:9216"';

/** users answers `errors` 5xx among `total` requests per sample, for `samples` samples. */
function traffic(errors: number, samples: number, total = 1000): Series[] {
  return [
    { series: `http_requests_total{${USERS}, code="200"}`, values: `0+${total - errors}x${samples}` },
    { series: `http_requests_total{${USERS}, code="500"}`, values: `0+${errors}x${samples}` },
  ];
}

/** A histogram whose requests all fall in (0.5, 1] s (p95 0.975 s) or all under 0.25 s (p95 0.2375 s). */
function latency(metric: string, labels: string, slow: boolean): Series[] {
  const bucket = (le: string, values: string) => ({ series: `${metric}_bucket{${labels}, le="${le}"}`, values });
  return [
    bucket('0.25', slow ? '0x30' : '0+100x30'),
    bucket('0.5', slow ? '0x30' : '0+100x30'),
    bucket('1', '0+100x30'),
    bucket('+Inf', '0+100x30'),
  ];
}

type Labels = Record<string, string>;
const fires = (alert: string, name: string, series: Series[], evalTime: string, labels: Labels, annotations: Labels): AlertCase =>
  ({ alert, name, series, evalTime, expected: [{ exp_labels: labels, exp_annotations: annotations }] });
const silent = (alert: string, name: string, series: Series[], evalTime: string): AlertCase => ({ alert, name, series, evalTime, expected: [] });

const fastBurn = (ratio: string) => ({
  summary: 'users is burning its error budget fast',
  description: `At this 5xx ratio (${ratio}) the 99.9 % availability budget of 30 days is gone in under 5 days.`,
});
const slow = (route: string, job: string) => ({ summary: `${job} route ${route} is slow`, description: 'p95 latency is 975ms (objective: under 500 ms).' });
const svcLabels = { job: 'users', instance: '10.0.0.1:8080', severity: 'warning' };
const LEGACY = 'job="legacy", instance="10.0.0.9:8080"';
const cacheLabels = { job: 'sessions', instance: '10.0.0.2:9121', severity: 'warning' };
const info = (instance: string, role: string, values: string) => ({ series: `redis_instance_info{job="sessions", instance="${instance}", role="${role}"}`, values });
/** Labels as percona/mongodb_exporter 0.43.1 writes them (fixtures/mongodb_exporter-0.43.1.prom). */
const optime = (member: string, state: string, value: number) => ({
  series: `mongodb_rs_members_optimeDate{${MONGO}, cl_id="5f5a3e12c3f6c2b58b3e1d2a", cl_role="shardsvr", rs_nm="rs0", rs_state="1", member_idx="${member}", member_state="${state}"}`,
  values: `${value}x10`,
});
const connections = (current: number, available: number) => [
  { series: `mongodb_ss_connections{${MONGO}, conn_type="current"}`, values: `${current}x15` },
  { series: `mongodb_ss_connections{${MONGO}, conn_type="available"}`, values: `${available}x15` },
];

/**
 * rabbitmq_prometheus series as a RabbitMQ 3.10 broker with per-object metrics serves them
 * (`rabbitmq_queue_messages_ready{vhost="/",queue="orders"}`), plus the scrape's job and instance.
 * Each node reports the quorum queues it leads.
 */
const rabbit = (metric: string, queueName: string, values: string, instance = '10.0.0.7:15692') =>
  ({ series: `${metric}{job="orders", instance="${instance}", vhost="/", queue="${queueName}"}`, values });

/** A case showing each alert fires when it should, and one showing it stays silent otherwise. */
export const ALERT_CASES: readonly AlertCase[] = [
  fires('SloErrorBudgetBurnFast', '3 % errors over 1 h and 5 m (14.4× burn)', traffic(30, 90), '70m',
    { job: 'users', kind: 'service', severity: 'page', slo: 'availability' }, fastBurn('3%')),
  {
    ...fires('SloErrorBudgetBurnFast', '1 % errors over 6 h and 30 m (6× burn)', traffic(10, 80), '380m',
      { job: 'users', kind: 'service', severity: 'page', slo: 'availability' }, fastBurn('1%')),
    interval: '5m',
  },
  { ...silent('SloErrorBudgetBurnFast', '0.5 % errors stays under both fast thresholds', traffic(5, 80), '380m'), interval: '5m' },
  {
    ...fires('SloErrorBudgetBurnSlow', '0.4 % errors over 1 d and 2 h (3× burn)', traffic(4, 300), '1450m',
      { job: 'users', kind: 'service', severity: 'ticket', slo: 'availability' },
      { summary: 'users is steadily burning its error budget', description: 'At this 5xx ratio (0.4%) the 99.9 % availability budget of 30 days runs out before the window ends.' }),
    interval: '5m',
  },
  { ...silent('SloErrorBudgetBurnSlow', '0.05 % errors is within budget', traffic(5, 300, 10000), '1450m'), interval: '5m' },
  fires('SloErrorRateHigh', '2 % errors for 5 minutes', traffic(20, 30), '20m', { job: 'users', kind: 'service', severity: 'warning', slo: 'error-rate' },
    { summary: 'users answers too many requests with 5xx', description: '2% of requests failed over 5 minutes (objective: under 1 %).' }),
  silent('SloErrorRateHigh', '0.5 % errors is under 1 %', traffic(5, 30), '20m'),
  fires('SloLatencyP95High', 'service route over 500 ms', latency('http_request_duration_seconds', `${USERS}, route="/orders"`, true), '20m',
    { job: 'users', kind: 'service', route: '/orders', severity: 'warning', slo: 'latency' }, slow('/orders', 'users')),
  fires('SloLatencyP95High', 'gateway: the Traefik service label becomes the route',
    latency('traefik_service_request_duration_seconds', 'job="edge", service="users@file", code="200"', true), '20m',
    { job: 'edge', kind: 'gateway', route: 'users@file', severity: 'warning', slo: 'latency' }, slow('users@file', 'edge')),
  silent('SloLatencyP95High', 'p95 of 0.24 s', latency('http_request_duration_seconds', `${USERS}, route="/orders"`, false), '20m'),
  fires('MetricsTargetDown', 'an instance unreachable for 5 minutes', [{ series: `up{${SVC}}`, values: '0x15' }], '10m',
    { job: 'users', instance: '10.0.0.1:8080', severity: 'critical' },
    { summary: 'users instance 10.0.0.1:8080 is down', description: 'Prometheus has not been able to scrape 10.0.0.1:8080 for 5 minutes.' }),
  silent('MetricsTargetDown', 'an instance that answers', [{ series: `up{${SVC}}`, values: '1x15' }], '10m'),
  fires('ServiceCpuHigh', 'a 1 vCPU service at 0.96 cores for 15 minutes', [{ series: `process_cpu_seconds_total{${SVC}}`, values: '0+57.6x30' }], '25m', svcLabels,
    { summary: 'users instance 10.0.0.1:8080 uses a lot of CPU', description: '10.0.0.1:8080 has used more than 90 % of its CPU for 15 minutes (96%).' }),
  silent('ServiceCpuHigh', 'a 1 vCPU service at 0.6 cores (60 %: under its autoscaling target)',
    [{ series: `process_cpu_seconds_total{${SVC}}`, values: '0+36x30' }], '25m'),
  fires('ServiceCpuHigh', 'a source without a declared size over the absolute 0.45 cores', [{ series: `process_cpu_seconds_total{${LEGACY}}`, values: '0+30x30' }], '25m',
    { job: 'legacy', instance: '10.0.0.9:8080', severity: 'warning' },
    { summary: 'legacy instance 10.0.0.9:8080 uses a lot of CPU', description: '10.0.0.9:8080 has used more than 90 % of its CPU for 15 minutes (100%).' }),
  fires('ServiceMemoryHigh', 'a 2 GiB service at 1.9 GiB for 15 minutes', [{ series: `process_resident_memory_bytes{${SVC}}`, values: '2040109465.6x20' }], '20m', svcLabels,
    { summary: 'users instance 10.0.0.1:8080 uses a lot of memory', description: '10.0.0.1:8080 has used more than 90 % of its memory for 15 minutes (95%).' }),
  silent('ServiceMemoryHigh', 'a 2 GiB service at 1 GiB (alerted at 0.9 GiB before)', [{ series: `process_resident_memory_bytes{${SVC}}`, values: '1073741824x20' }], '20m'),
  fires('ServiceRestarting', 'three restarts in an hour', [{ series: `process_start_time_seconds{${SVC}}`, values: '100 100 200 200 300 300 400 400 400 400' }], '9m',
    svcLabels, { summary: 'users instance 10.0.0.1:8080 keeps restarting', description: '10.0.0.1:8080 restarted 3 times in the last hour (threshold 3).' }),
  silent('ServiceRestarting', 'a steady process', [{ series: `process_start_time_seconds{${SVC}}`, values: '100x10' }], '9m'),
  fires('CacheMemoryHigh', '95 % of maxmemory for 10 minutes', [
    { series: `redis_memory_used_bytes{${CACHE}}`, values: '950x20' }, { series: `redis_memory_max_bytes{${CACHE}}`, values: '1000x20' },
  ], '15m', cacheLabels,
  { summary: 'sessions node 10.0.0.2:9121 is close to maxmemory', description: '10.0.0.2:9121 has used more than 90 % of maxmemory for 10 minutes.' }),
  silent('CacheMemoryHigh', '50 % of maxmemory', [
    { series: `redis_memory_used_bytes{${CACHE}}`, values: '500x20' }, { series: `redis_memory_max_bytes{${CACHE}}`, values: '1000x20' },
  ], '15m'),
  fires('CacheCpuHigh', 'the Redis thread at 0.95 of a core for 15 minutes', [
    { series: `redis_cpu_sys_main_thread_seconds_total{${CACHE}}`, values: '0+15x30' }, { series: `redis_cpu_user_main_thread_seconds_total{${CACHE}}`, values: '0+42x30' },
  ], '25m', cacheLabels, {
    summary: 'sessions node 10.0.0.2:9121 is short of CPU',
    description: 'The Redis thread of 10.0.0.2:9121 has used more than 90 % of a core for 15 minutes: commands queue behind it; spread the keys over more shards.',
  }),
  silent('CacheCpuHigh', 'the Redis thread at half a core', [
    { series: `redis_cpu_sys_main_thread_seconds_total{${CACHE}}`, values: '0+6x30' }, { series: `redis_cpu_user_main_thread_seconds_total{${CACHE}}`, values: '0+24x30' },
  ], '25m'),
  fires('CacheEvicting', 'one eviction per second for 15 minutes', [{ series: `redis_evicted_keys_total{${CACHE}}`, values: '0+60x30' }], '25m', cacheLabels, {
    summary: 'sessions node 10.0.0.2:9121 is evicting keys',
    description: '10.0.0.2:9121 has evicted keys for 15 minutes (1.0/s): the cache is too small for its working set.',
  }),
  silent('CacheEvicting', 'no evictions', [{ series: `redis_evicted_keys_total{${CACHE}}`, values: '5x30' }], '25m'),
  fires('CacheReplicationLagHigh', 'a replica 50 MB behind', [
    { series: `redis_master_repl_offset{${CACHE}}`, values: '100000000x10' },
    { series: `redis_connected_slave_offset_bytes{${CACHE}, slave_ip="10.0.0.3", slave_port="6379", slave_state="online"}`, values: '50000000x10' },
  ], '8m', { ...cacheLabels, slave_ip: '10.0.0.3', slave_port: '6379', slave_state: 'online' },
  { summary: 'sessions replica 10.0.0.3 lags its primary', description: 'Replica 10.0.0.3:6379 is more than 16777216 bytes behind 10.0.0.2:9121.' }),
  silent('CacheReplicationLagHigh', 'a replica 1 kB behind', [
    { series: `redis_master_repl_offset{${CACHE}}`, values: '100000000x10' },
    { series: `redis_connected_slave_offset_bytes{${CACHE}, slave_ip="10.0.0.3", slave_port="6379", slave_state="online"}`, values: '99999000x10' },
  ], '8m'),
  fires('CacheSnapshotFailed', 'the snapshot record expired (no success within the maximum age)', [
    { series: `redis_key_size{${CACHE}, db="db0", key="platform:backup:succeeded"}`, values: '16 16 0x30' },
    { series: 'redis_key_size{job="sessions", instance="10.0.0.3:9121", db="db0", key="platform:backup:succeeded"}', values: '16 16 0x30' },
  ], '20m', { job: 'sessions', severity: 'critical' }, {
    summary: 'sessions has no recent successful snapshot',
    description: 'No snapshot of sessions has succeeded within its maximum age (kubernetes.backup.maxAge): read the logs of its last backup Jobs.',
  }),
  silent('CacheSnapshotFailed', 'a recent snapshot recorded (other keys do not count)', [
    { series: `redis_key_size{${CACHE}, db="db0", key="platform:backup:succeeded"}`, values: '16x30' },
    { series: `redis_key_size{${CACHE}, db="db0", key="other"}`, values: '0x30' },
  ], '20m'),
  silent('CacheSnapshotFailed', 'a cache without backups exports no record', [{ series: `redis_memory_used_bytes{${CACHE}}`, values: '1x30' }], '20m'),
  fires('CacheReplicaLinkDown', 'a replica without its primary for 2 minutes',
    [{ series: 'redis_master_link_up{job="sessions", instance="10.0.0.3:9121"}', values: '0x10' }], '5m',
    { job: 'sessions', instance: '10.0.0.3:9121', severity: 'critical' },
    { summary: 'sessions replica 10.0.0.3:9121 lost its primary', description: '10.0.0.3:9121 has had no replication link to its primary for 2 minutes.' }),
  silent('CacheReplicaLinkDown', 'a linked replica', [{ series: 'redis_master_link_up{job="sessions", instance="10.0.0.3:9121"}', values: '1x10' }], '5m'),
  fires('CacheFailover', 'a replica became the primary', [
    info('10.0.0.2:9121', 'master', '1x20'), info('10.0.0.3:9121', 'slave', '1x20'), info('10.0.0.3:9121', 'master', '_x20 1x20'),
  ], '25m', { job: 'sessions', severity: 'warning' }, {
    summary: 'sessions failed over to a new primary',
    description: 'A node of sessions that was a replica 10 minutes ago is now a primary: find out why the old primary failed.',
  }),
  silent('CacheFailover', 'a steady primary, and a new node that starts as primary', [
    info('10.0.0.2:9121', 'master', '1x40'), info('10.0.0.4:9121', 'master', '_x20 1x20'),
  ], '25m'),
  fires('MongoDown', 'the exporter cannot reach mongod', [{ series: `mongodb_up{${MONGO}}`, values: '0x10' }], '5m',
    { job: 'catalog-db', instance: '10.0.0.5:9216', severity: 'critical' },
    { summary: 'catalog-db exporter cannot reach MongoDB on 10.0.0.5:9216', description: 'mongodb_exporter on 10.0.0.5:9216 has not reached its mongod/mongos for 2 minutes.' }),
  silent('MongoDown', 'a reachable mongod', [{ series: `mongodb_up{${MONGO}}`, values: '1x10' }], '5m'),
  fires('MongoReplicationLagHigh', 'a secondary 60 s behind', [optime('m0:27017', 'PRIMARY', 1700000060000), optime('m1:27017', 'SECONDARY', 1700000000000)], '8m',
    { job: 'catalog-db', rs_nm: 'rs0', member_idx: 'm1:27017', severity: 'warning' },
    { summary: 'catalog-db member m1:27017 lags its primary', description: 'm1:27017 of replica set rs0 is more than 10 s behind its primary.' }),
  silent('MongoReplicationLagHigh', 'a secondary 5 s behind', [optime('m0:27017', 'PRIMARY', 1700000060000), optime('m1:27017', 'SECONDARY', 1700000055000)], '8m'),
  fires('MongoBackupMissing', 'the last backup record expired (no success within the maximum age)', [
    { series: `mongodb_dbstats_objects{${MONGO}, database="platform_backups", rs_nm="rs0"}`, values: '2 1 0x30' },
    { series: `mongodb_dbstats_objects{${MONGO}, database="orders", rs_nm="rs0"}`, values: '500x30' },
  ], '20m', { job: 'catalog-db', severity: 'critical' }, {
    summary: 'catalog-db has no recent successful backup',
    description: 'No backup of catalog-db has succeeded within its maximum age (kubernetes.backupMaxAge): read the logs of its last backup Jobs ' +
      '(pbm backup) and run pbm status in a backup-agent container.',
  }),
  silent('MongoBackupMissing', 'one recent backup recorded (other databases do not count)', [
    { series: `mongodb_dbstats_objects{${MONGO}, database="platform_backups", rs_nm="rs0"}`, values: '1x30' },
    { series: `mongodb_dbstats_objects{${MONGO}, database="orders", rs_nm="rs0"}`, values: '0x30' },
  ], '20m'),
  fires('MongoConnectionsHigh', '90 % of connections for 10 minutes', connections(900, 100), '12m',
    { job: 'catalog-db', instance: '10.0.0.5:9216', severity: 'warning' },
    { summary: 'catalog-db 10.0.0.5:9216 is running out of connections', description: '10.0.0.5:9216 has used more than 80 % of its connections for 10 minutes.' }),
  silent('MongoConnectionsHigh', '10 % of connections', connections(100, 900), '12m'),
  fires('QueueBacklogHigh', '5000 ready messages for 15 minutes', [rabbit('rabbitmq_queue_messages_ready', 'orders-p1', '5000x20')], '20m',
    { job: 'orders', queue: 'orders-p1', severity: 'warning' },
    { summary: 'orders queue orders-p1 is backing up', description: 'orders-p1 has held more than 1000 ready messages for 15 minutes (5000): add workers or find the slow step.' }),
  silent('QueueBacklogHigh', 'a large dead-letter queue is not a backlog', [rabbit('rabbitmq_queue_messages_ready', 'orders-dlq', '5000x20')], '20m'),
  fires('QueueNoConsumers', 'messages waiting and no consumer, whichever node leads', [
    rabbit('rabbitmq_queue_messages_ready', 'orders', '12x15'), rabbit('rabbitmq_queue_consumers', 'orders', '0x15'),
    rabbit('rabbitmq_queue_messages_ready', 'orders', '12x15', '10.0.0.8:15692'), rabbit('rabbitmq_queue_consumers', 'orders', '0x15', '10.0.0.8:15692'),
  ], '12m', { job: 'orders', queue: 'orders', severity: 'critical' },
  { summary: 'orders queue orders has messages and no consumer', description: 'orders has had 12 ready messages and no consumer for 10 minutes: the workers are down or cannot connect.' }),
  silent('QueueNoConsumers', 'messages waiting and two consumers', [
    rabbit('rabbitmq_queue_messages_ready', 'orders', '12x15'), rabbit('rabbitmq_queue_consumers', 'orders', '2x15'),
  ], '12m'),
  fires('QueueDeadLetters', 'a message dead-lettered', [rabbit('rabbitmq_queue_messages_ready', 'orders-dlq', '0 1x10')], '8m',
    { job: 'orders', queue: 'orders-dlq', severity: 'warning' },
    { summary: 'orders has dead-lettered messages in orders-dlq', description: 'orders-dlq holds 1 messages that failed every delivery attempt or expired: inspect them and redrive or discard.' }),
  silent('QueueDeadLetters', 'an empty dead-letter queue', [rabbit('rabbitmq_queue_messages_ready', 'orders-dlq', '0x10')], '8m'),
];

/** `promtool test rules` files (by file name) running every case against `ruleFile`, one file per evaluation interval. */
export function promtoolTests(ruleFile: string, cases: readonly AlertCase[]): Record<string, unknown> {
  const intervals = [...new Set(cases.map(c => c.interval ?? '1m'))];
  return Object.fromEntries(intervals.map(interval => [`tests-${interval}.yml`, promtoolTestFile(ruleFile, interval,
    cases.filter(c => (c.interval ?? '1m') === interval))]));
}

function promtoolTestFile(ruleFile: string, interval: string, cases: readonly AlertCase[]): unknown {
  return {
    rule_files: [ruleFile],
    evaluation_interval: interval,
    tests: cases.map(c => ({
      name: `${c.alert}: ${c.name}`,
      interval,
      input_series: c.series,
      alert_rule_test: [{ eval_time: c.evalTime, alertname: c.alert, exp_alerts: c.expected }],
    })),
  };
}
