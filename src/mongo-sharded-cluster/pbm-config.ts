/**
 * The Percona Backup for MongoDB (PBM) configuration the init Job applies with `pbm config --file`.
 * Pure. Fields as PBM's own config struct names them (percona/percona-backup-mongodb:
 * pbm/config/config.go, pbm/storage/s3/s3.go, pbm/storage/fs/fs.go; packaging/conf/pbm-conf-reference.yml).
 */

/** Where every pbm-agent mounts a filesystem backup target: PBM needs the same path on every agent. */
export const PBM_FILESYSTEM_PATH = '/backups';

export interface PbmConfigOptions {
  /** An S3-compatible bucket, or undefined for the shared filesystem at PBM_FILESYSTEM_PATH. */
  readonly s3?: { readonly bucket: string; readonly prefix: string; readonly region: string; readonly endpoint?: string };
  /** Oplog slicing for point-in-time recovery. */
  readonly pointInTimeRecovery: boolean;
  /** Minutes each oplog slice spans (PITR only): the recovery point objective. */
  readonly oplogSpanMinutes: number;
}

/**
 * The configuration as an object. No credentials: with none in `storage.s3.credentials`, PBM's S3
 * client takes the AWS SDK's default chain (pbm/storage/s3/s3.go: static credentials only when
 * both keys are set), so each agent reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from its Secret.
 */
export function pbmConfig(options: PbmConfigOptions): Record<string, unknown> {
  const storage = options.s3 ? {
    type: 's3',
    s3: {
      region: options.s3.region,
      bucket: options.s3.bucket,
      // PBM joins its own "/" after the prefix.
      ...options.s3.prefix.replace(/\/+$/, '') ? { prefix: options.s3.prefix.replace(/\/+$/, '') } : {},
      ...options.s3.endpoint ? { endpointUrl: options.s3.endpoint } : {},
    },
  } : { type: 'filesystem', filesystem: { path: PBM_FILESYSTEM_PATH } };
  return {
    storage,
    pitr: options.pointInTimeRecovery ? { enabled: true, oplogSpanMin: options.oplogSpanMinutes } : { enabled: false },
  };
}

/** The file `pbm config --file` reads: JSON, which is YAML, so every string is quoted and escaped. */
export function pbmConfigFile(options: PbmConfigOptions): string {
  return `${JSON.stringify(pbmConfig(options), null, 2)}\n`;
}
