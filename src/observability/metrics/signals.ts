import { BACKUP_RECORD_KEY } from '../../cache-cluster/backup-scripts';
import { BACKUP_RECORDS } from '../../mongo-sharded-cluster/backup-records';
import { AlertRule, AlertThresholds, HttpSignals, jobSelector, PanelSpec, promNumber, WatchedJob } from '../alerting/rule-types';

/**
 * What the observability stack knows about one kind of platform construct: the metrics it exports,
 * the alerts on them and the dashboard panels. A construct kind added later works by adding a row.
 *
 * Metric names:
 * - `service` (ServiceCluster): whatever the service's Prometheus client exports. By default the
 *   conventional `http_requests_total{code}` counter and `http_request_duration_seconds` histogram
 *   (override with `metricNames`), and the standard process collector (`process_cpu_seconds_total`,
 *   `process_resident_memory_bytes`, `process_start_time_seconds`) that every official client enables.
 * - `gateway` (Traefik v3): `traefik_service_requests_total{code,service}` and
 *   `traefik_service_request_duration_seconds`, per Traefik service (route).
 * - `cache` (oliver006/redis_exporter): `redis_memory_used_bytes`, `redis_memory_max_bytes`,
 *   `redis_evicted_keys_total`, `redis_connected_slaves`, `redis_master_repl_offset`,
 *   `redis_connected_slave_offset_bytes`, `redis_master_link_up`, `redis_instance_info{role}`,
 *   `redis_key_size{db,key}` (the snapshot record, with `--check-single-keys`).
 * - `mongo` (percona/mongodb_exporter): `mongodb_up`, `mongodb_ss_connections{conn_type}`,
 *   `mongodb_ss_opcounters{legacy_op_type}`, `mongodb_rs_members_optimeDate{rs_nm,member_idx,member_state}`,
 *   `mongodb_dbstats_objects{database}` (the backup records).
 *
 * test/observability/fixtures.test.ts evaluates every rule and panel against samples of these
 * exporters at the pinned versions.
 */
export interface KindSignals {
  /** Human name of the kind, for dashboards. */
  readonly title: string;
  /** HTTP metrics, for kinds that serve requests (SLO recordings, request panels). */
  readonly http?: (serviceNames: HttpSignals) => HttpSignals;
  /** Kind-specific alerts over the jobs of that kind. */
  readonly alerts: (jobs: readonly WatchedJob[], t: AlertThresholds) => AlertRule[];
  /** Kind-specific dashboard panels of one job (HTTP panels are added for `http` kinds). */
  readonly panels: (job: string) => PanelSpec[];
}

const alert = (name: string, expr: string, forDuration: string, severity: string, summary: string, description: string): AlertRule => ({
  alert: name,
  expr,
  ...(forDuration === '0m' ? {} : { for: forDuration }),
  labels: { severity },
  annotations: { summary, description },
});

const names = (jobs: readonly WatchedJob[]) => jobs.map(j => j.job);

/**
 * `metric` of each job as a fraction of that job's own size (jobs of one size share a selector).
 * A job that declares no size is measured against `fallbackSize`.
 */
export function utilization(metric: (selector: string) => string, jobs: readonly WatchedJob[],
  sizeOf: (job: WatchedJob) => number | undefined, fallbackSize: number): string {
  const bySize = new Map<number, string[]>();
  for (const job of jobs) {
    const size = sizeOf(job) ?? fallbackSize;
    bySize.set(size, [...(bySize.get(size) ?? []), job.job]);
  }
  const parts = [...bySize].map(([size, jobNames]) => `${metric(jobSelector(jobNames))} / ${promNumber(size)}`);
  return parts.length === 1 ? parts[0] : parts.map(p => `(${p})`).join(' or ');
}

/** CPU of each service instance, in cores (the process collector every official Prometheus client enables). */
export const serviceCpu = (selector: string) => `rate(process_cpu_seconds_total{${selector}}[5m])`;
/** Resident memory of each service instance, in bytes. */
export const serviceMemory = (selector: string) => `process_resident_memory_bytes{${selector}}`;

const service: KindSignals = {
  title: 'Service',
  http: metricNames => metricNames,
  alerts: (jobs, t) => [
    alert('ServiceCpuHigh',
      `(${utilization(serviceCpu, jobs, j => j.cpuCores, t.serviceCpuCores / t.serviceCpuUtilization)})` +
      ` > ${promNumber(t.serviceCpuUtilization)}`, '15m', 'warning',
      '{{ $labels.job }} instance {{ $labels.instance }} uses a lot of CPU',
      `{{ $labels.instance }} has used more than ${promNumber(t.serviceCpuUtilization * 100)} % of its CPU for 15 minutes ({{ $value | humanizePercentage }}).`),
    alert('ServiceMemoryHigh',
      `(${utilization(serviceMemory, jobs, j => j.memoryBytes, t.serviceMemoryBytes / t.serviceMemoryUtilization)})` +
      ` > ${promNumber(t.serviceMemoryUtilization)}`, '15m', 'warning',
      '{{ $labels.job }} instance {{ $labels.instance }} uses a lot of memory',
      `{{ $labels.instance }} has used more than ${promNumber(t.serviceMemoryUtilization * 100)} % of its memory for 15 minutes ({{ $value | humanizePercentage }}).`),
    alert('ServiceRestarting', `changes(process_start_time_seconds{${jobSelector(names(jobs))}}[1h]) >= ${promNumber(t.serviceRestartsPerHour)}`, '0m', 'warning',
      '{{ $labels.job }} instance {{ $labels.instance }} keeps restarting',
      `{{ $labels.instance }} restarted {{ $value }} times in the last hour (threshold ${promNumber(t.serviceRestartsPerHour)}).`),
  ],
  panels: job => [
    { title: 'CPU (cores)', unit: 'short', queries: [{ expr: serviceCpu(`job="${job}"`), legend: '{{instance}}' }] },
    { title: 'Memory (resident)', unit: 'bytes', queries: [{ expr: serviceMemory(`job="${job}"`), legend: '{{instance}}' }] },
    { title: 'Restarts (1h)', unit: 'short', queries: [{ expr: `changes(process_start_time_seconds{job="${job}"}[1h])`, legend: '{{instance}}' }] },
  ],
};

const gateway: KindSignals = {
  title: 'Gateway',
  http: () => ({
    requests: 'traefik_service_requests_total',
    duration: 'traefik_service_request_duration_seconds',
    statusLabel: 'code',
    routeLabel: 'service',
  }),
  alerts: () => [],
  panels: job => [
    { title: 'Open connections', unit: 'short', queries: [{ expr: `sum by (entrypoint) (traefik_open_connections{job="${job}"})`, legend: '{{entrypoint}}' }] },
  ],
};

/**
 * Share of one core the Redis main thread may use before `CacheCpuHigh`: Redis runs commands on one
 * thread, and ElastiCache's EngineCPUUtilization alarm on AWS uses the same 90 %.
 */
export const CACHE_ENGINE_CPU_UTILIZATION = 0.9;
/** CPU of the Redis main thread, in cores (redis_exporter's counters of INFO's `used_cpu_*_main_thread`). */
export const cacheEngineCpu = (selector: string) =>
  `rate(redis_cpu_sys_main_thread_seconds_total{${selector}}[5m]) + rate(redis_cpu_user_main_thread_seconds_total{${selector}}[5m])`;

/**
 * The snapshot record of each cache: the size of the key every successful snapshot sets with the
 * maximum age as its time to live (CacheCluster's Kubernetes backups), 0 once it expired. Only the
 * primary owning the key reports it in cluster mode (the other nodes answer MOVED).
 */
const cacheSnapshots = (sel: (...m: string[]) => string) =>
  `max by (job) (redis_key_size{${sel('db="db0"', `key="${BACKUP_RECORD_KEY}"`)}})`;
/** Memory used as a fraction of maxmemory (nodes without a maxmemory are left out). */
export const cacheMemoryUtilization = (selector: string) => `redis_memory_used_bytes{${selector}} / (redis_memory_max_bytes{${selector}} > 0)`;
/** Keys evicted per second. */
export const cacheEvictionRate = (selector: string) => `rate(redis_evicted_keys_total{${selector}}[5m])`;

const cache: KindSignals = {
  title: 'Cache',
  alerts: (jobs, t) => {
    const sel = (...m: string[]) => jobSelector(names(jobs), ...m);
    return [
      alert('CacheMemoryHigh', `${cacheMemoryUtilization(sel())} > ${promNumber(t.cacheMemoryUtilization)}`, '10m', 'warning',
        '{{ $labels.job }} node {{ $labels.instance }} is close to maxmemory',
        `{{ $labels.instance }} has used more than ${promNumber(t.cacheMemoryUtilization * 100)} % of maxmemory for 10 minutes.`),
      alert('CacheCpuHigh', `${cacheEngineCpu(sel())} > ${promNumber(CACHE_ENGINE_CPU_UTILIZATION)}`, '15m', 'warning',
        '{{ $labels.job }} node {{ $labels.instance }} is short of CPU',
        `The Redis thread of {{ $labels.instance }} has used more than ${promNumber(CACHE_ENGINE_CPU_UTILIZATION * 100)} % of a core for 15 minutes: ` +
        'commands queue behind it; spread the keys over more shards.'),
      alert('CacheEvicting', `${cacheEvictionRate(sel())} > 0`, '15m', 'warning',
        '{{ $labels.job }} node {{ $labels.instance }} is evicting keys',
        '{{ $labels.instance }} has evicted keys for 15 minutes ({{ $value | printf "%.1f" }}/s): the cache is too small for its working set.'),
      alert('CacheReplicationLagHigh',
        `(redis_master_repl_offset{${sel()}} - on (job, instance) group_right redis_connected_slave_offset_bytes{${sel()}}) > ${promNumber(t.cacheReplicationLagBytes)}`,
        '5m', 'warning',
        '{{ $labels.job }} replica {{ $labels.slave_ip }} lags its primary',
        `Replica {{ $labels.slave_ip }}:{{ $labels.slave_port }} is more than ${promNumber(t.cacheReplicationLagBytes)} bytes behind {{ $labels.instance }}.`),
      // On AWS the same name stands for ElastiCache's "Snapshot Creation Failed" events.
      alert('CacheSnapshotFailed', `${cacheSnapshots(sel)} < 1`, '15m', 'critical',
        '{{ $labels.job }} has no recent successful snapshot',
        'No snapshot of {{ $labels.job }} has succeeded within its maximum age (kubernetes.backup.maxAge): read the logs of its last backup Jobs.'),
      alert('CacheReplicaLinkDown', `redis_master_link_up{${sel()}} == 0`, '2m', 'critical',
        '{{ $labels.job }} replica {{ $labels.instance }} lost its primary',
        '{{ $labels.instance }} has had no replication link to its primary for 2 minutes.'),
      alert('CacheFailover',
        `count by (job) ((redis_instance_info{${sel('role="master"')}} unless on (job, instance) (redis_instance_info{${sel('role="master"')}} offset 10m))` +
        ` and on (job, instance) (redis_instance_info{${sel()}} offset 10m)) > 0`,
        '0m', 'warning',
        '{{ $labels.job }} failed over to a new primary',
        'A node of {{ $labels.job }} that was a replica 10 minutes ago is now a primary: find out why the old primary failed.'),
    ];
  },
  panels: job => [
    {
      title: 'Memory used / max',
      unit: 'bytes',
      queries: [
        { expr: `redis_memory_used_bytes{job="${job}"}`, legend: 'used {{instance}}' },
        { expr: `redis_memory_max_bytes{job="${job}"}`, legend: 'max {{instance}}' },
      ],
    },
    { title: 'Engine CPU (%)', unit: 'percent', queries: [{ expr: `100 * (${cacheEngineCpu(`job="${job}"`)})`, legend: '{{instance}}' }] },
    { title: 'Evictions', unit: 'ops', queries: [{ expr: cacheEvictionRate(`job="${job}"`), legend: '{{instance}}' }] },
    { title: 'Connections', unit: 'short', queries: [{ expr: `redis_connected_clients{job="${job}"}`, legend: '{{instance}}' }] },
    { title: 'Connected replicas', unit: 'short', queries: [{ expr: `redis_connected_slaves{job="${job}"}`, legend: '{{instance}}' }] },
    {
      title: 'Replication lag',
      unit: 'bytes',
      queries: [{
        expr: `redis_master_repl_offset{job="${job}"} - on (job, instance) group_right redis_connected_slave_offset_bytes{job="${job}"}`,
        legend: '{{slave_ip}}:{{slave_port}}',
      }],
    },
    { title: 'Primaries', unit: 'short', queries: [{ expr: `count by (job) (redis_instance_info{job="${job}", role="master"})`, legend: 'primaries' }] },
  ],
};

/**
 * Seconds each secondary is behind its primary. Every exporter reports every member of its replica
 * set as seen from its mongod: `rs_nm` names the set, `member_idx` the member (its host:port),
 * `member_state` its state; the optime is a BSON date in milliseconds.
 */
export const mongoLag = (sel: (...m: string[]) => string) =>
  `(max by (job, rs_nm) (mongodb_rs_members_optimeDate{${sel('member_state="PRIMARY"')}}) - on (job, rs_nm) group_right ` +
  `min by (job, rs_nm, member_idx) (mongodb_rs_members_optimeDate{${sel('member_state="SECONDARY"')}})) / 1000`;
export const mongoConnections = (sel: (...m: string[]) => string) =>
  `sum by (job, instance) (mongodb_ss_connections{${sel('conn_type="current"')}}) / ` +
  `(sum by (job, instance) (mongodb_ss_connections{${sel('conn_type="current"')}}) + sum by (job, instance) (mongodb_ss_connections{${sel('conn_type="available"')}}))`;

/**
 * Successful backups within their maximum age: each one is a document of the backup records
 * database, which a TTL index deletes at that age (see MongoShardedCluster's backup records): the
 * backup CronJob inserts one once Percona Backup for MongoDB has completed a snapshot and the retention.
 */
const mongoBackups = (sel: (...m: string[]) => string) =>
  `max by (job) (mongodb_dbstats_objects{${sel(`database="${BACKUP_RECORDS.database}"`)}})`;

const mongo: KindSignals = {
  title: 'MongoDB',
  alerts: (jobs, t) => {
    const sel = (...m: string[]) => jobSelector(names(jobs), ...m);
    return [
      alert('MongoDown', `mongodb_up{${sel()}} == 0`, '2m', 'critical',
        '{{ $labels.job }} exporter cannot reach MongoDB on {{ $labels.instance }}',
        'mongodb_exporter on {{ $labels.instance }} has not reached its mongod/mongos for 2 minutes.'),
      alert('MongoReplicationLagHigh', `${mongoLag(sel)} > ${promNumber(t.mongoReplicationLagSeconds)}`, '5m', 'warning',
        '{{ $labels.job }} member {{ $labels.member_idx }} lags its primary',
        `{{ $labels.member_idx }} of replica set {{ $labels.rs_nm }} is more than ${promNumber(t.mongoReplicationLagSeconds)} s behind its primary.`),
      alert('MongoBackupMissing', `${mongoBackups(sel)} < 1`, '15m', 'critical',
        '{{ $labels.job }} has no recent successful backup',
        'No backup of {{ $labels.job }} has succeeded within its maximum age (kubernetes.backupMaxAge): read the logs of its last backup Jobs ' +
          '(pbm backup) and run pbm status in a backup-agent container.'),
      alert('MongoConnectionsHigh', `${mongoConnections(sel)} > ${promNumber(t.mongoConnectionsUtilization)}`, '10m', 'warning',
        '{{ $labels.job }} {{ $labels.instance }} is running out of connections',
        `{{ $labels.instance }} has used more than ${promNumber(t.mongoConnectionsUtilization * 100)} % of its connections for 10 minutes.`),
    ];
  },
  panels: job => {
    const sel = (...m: string[]) => [`job="${job}"`, ...m].join(', ');
    return [
      { title: 'Connections', unit: 'short', queries: [{ expr: `mongodb_ss_connections{${sel('conn_type="current"')}}`, legend: '{{instance}}' }] },
      { title: 'Operations', unit: 'ops', queries: [{ expr: `sum by (legacy_op_type) (rate(mongodb_ss_opcounters{${sel()}}[5m]))`, legend: '{{legacy_op_type}}' }] },
      { title: 'Replication lag', unit: 's', queries: [{ expr: mongoLag(sel), legend: '{{rs_nm}} {{member_idx}}' }] },
      { title: 'Recent successful backups', unit: 'short', queries: [{ expr: mongoBackups(sel), legend: 'backups' }] },
    ];
  },
};

/*
 * `queue` (rabbitmq_prometheus with per-object metrics): `rabbitmq_queue_messages_ready`,
 * `rabbitmq_queue_messages_unacked` and `rabbitmq_queue_consumers`, labelled `vhost` and `queue`
 * (names and labels as a RabbitMQ 3.10 broker serves them). A quorum queue is reported by its
 * leader; `max by` keeps one series per queue whichever node leads. Dead-letter queues end in
 * `-dlq`. RabbitMQ has no age of the oldest message for quorum queues
 * (`rabbitmq_queue_head_message_timestamp` has no samples for them): a backlog that stays, and
 * work queues without consumers, stand in for it.
 */
export const DEAD_LETTER = 'queue=~".+-dlq"';
export const WORK = 'queue!~".+-dlq"';
/** Ready messages per queue, whichever node leads it. */
export const queueReady = (selector: string) => `max by (job, queue) (rabbitmq_queue_messages_ready{${selector}})`;
/** Consumers per queue, whichever node leads it. */
export const queueConsumers = (selector: string) => `max by (job, queue) (rabbitmq_queue_consumers{${selector}})`;
const queue: KindSignals = {
  title: 'Message queue',
  alerts: (jobs, t) => {
    const sel = (...m: string[]) => jobSelector(names(jobs), ...m);
    const ready = (matcher: string) => queueReady(sel(matcher));
    return [
      alert('QueueBacklogHigh', `${ready(WORK)} > ${promNumber(t.queueBacklogMessages)}`, '15m', 'warning',
        '{{ $labels.job }} queue {{ $labels.queue }} is backing up',
        `{{ $labels.queue }} has held more than ${promNumber(t.queueBacklogMessages)} ready messages for 15 minutes ({{ $value }}): add workers or find the slow step.`),
      alert('QueueNoConsumers', `${ready(WORK)} > 0 and on (job, queue) ${queueConsumers(sel(WORK))} == 0`, '10m', 'critical',
        '{{ $labels.job }} queue {{ $labels.queue }} has messages and no consumer',
        '{{ $labels.queue }} has had {{ $value }} ready messages and no consumer for 10 minutes: the workers are down or cannot connect.'),
      alert('QueueDeadLetters', `${ready(DEAD_LETTER)} > 0`, '5m', 'warning',
        '{{ $labels.job }} has dead-lettered messages in {{ $labels.queue }}',
        '{{ $labels.queue }} holds {{ $value }} messages that failed every delivery attempt or expired: inspect them and redrive or discard.'),
    ];
  },
  panels: job => [
    {
      title: 'Depth (ready / unacknowledged)',
      unit: 'short',
      queries: [
        { expr: `max by (queue) (rabbitmq_queue_messages_ready{job="${job}", ${WORK}})`, legend: 'ready {{queue}}' },
        { expr: `max by (queue) (rabbitmq_queue_messages_unacked{job="${job}", ${WORK}})`, legend: 'in flight {{queue}}' },
      ],
    },
    { title: 'Consumers', unit: 'short', queries: [{ expr: `max by (queue) (rabbitmq_queue_consumers{job="${job}", ${WORK}})`, legend: '{{queue}}' }] },
    { title: 'Dead-lettered messages', unit: 'short', queries: [{ expr: `max by (queue) (rabbitmq_queue_messages_ready{job="${job}", ${DEAD_LETTER}})`, legend: '{{queue}}' }] },
  ],
};

/** The signals of every kind of platform construct, by `MetricsSource.kind`. */
export const SIGNALS: Readonly<Record<string, KindSignals>> = { service, gateway, cache, mongo, queue };

/** The kinds the stack knows, for error messages. */
export const KNOWN_KINDS: readonly string[] = Object.keys(SIGNALS);
