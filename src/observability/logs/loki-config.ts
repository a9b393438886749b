export const LOKI_HTTP_PORT = 3100;
export const LOKI_GRPC_PORT = 9095;
/** Loki's data directory: the replica's volume (the root filesystem stays read-only). */
export const LOKI_DATA_DIR = '/loki';

export interface LokiConfigInput {
  /** How long logs are kept, in whole days. */
  readonly retentionDays: number;
}

/**
 * Loki 3 configuration of one replica (pure): the single binary (`-target=all`) with its chunks,
 * TSDB index, write-ahead log and compactor on the replica's own volume, OTLP ingestion (schema
 * v13 with structured metadata, where the trace id of each OTLP log record lands) and
 * compactor-applied retention. Replicas do not share a ring: each is a complete store and the
 * collector writes every record to each of them, so losing one volume or node loses no log.
 * No user string is written here.
 */
export function lokiConfig(input: LokiConfigInput): Record<string, unknown> {
  const dir = (name: string) => `${LOKI_DATA_DIR}/${name}`;
  return {
    auth_enabled: false,
    server: { http_listen_port: LOKI_HTTP_PORT, grpc_listen_port: LOKI_GRPC_PORT, log_level: 'info' },
    common: {
      path_prefix: LOKI_DATA_DIR,
      replication_factor: 1,
      // One process per ring: the replica's own components find each other on loopback.
      instance_addr: '127.0.0.1',
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: dir('chunks'), rules_directory: dir('rules') } },
    },
    schema_config: {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    storage_config: { tsdb_shipper: { active_index_directory: dir('tsdb-index'), cache_location: dir('tsdb-cache') } },
    // Unflushed chunks survive a restart: the write-ahead log is replayed from the volume.
    ingester: { wal: { enabled: true, dir: dir('wal'), flush_on_shutdown: true } },
    compactor: {
      working_directory: dir('compactor'),
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      delete_request_store: 'filesystem',
    },
    limits_config: {
      retention_period: `${input.retentionDays * 24}h`,
      allow_structured_metadata: true,
      volume_enabled: true,
      ingestion_rate_mb: 16,
      ingestion_burst_size_mb: 32,
      reject_old_samples: true,
      reject_old_samples_max_age: '168h',
    },
    analytics: { reporting_enabled: false },
  };
}
