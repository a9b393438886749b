/**
 * Where successful backups are recorded, so that what Prometheus already scrapes shows their age:
 * each success inserts a document into this collection, whose TTL index deletes it after
 * `kubernetes.backupMaxAge`; the exporters' dbStats report the database's object count, and
 * `MongoBackupMissing` fires when it is 0.
 */
export const BACKUP_RECORDS = { database: 'platform_backups', collection: 'succeeded' } as const;

/** Default age of the last successful backup past which the alert fires: a daily schedule plus two hours. */
export const DEFAULT_BACKUP_MAX_AGE_SECONDS = 26 * 3600;
