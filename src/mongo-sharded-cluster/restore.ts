/**
 * Options of a restore from another cluster's backups.
 */
export interface MongoRestoreOptions {
  /**
   * The `clusterName` of the cluster that took the backup, when it is not this one (a new cluster
   * restoring an old one's backups from the same storage). Both must have the same number of shards:
   * PBM maps each shard's replica set to the one of the same index.
   *
   * @default this cluster
   */
  readonly sourceClusterName?: string;
}

/**
 * What the Kubernetes restore Job restores (Percona Backup for MongoDB): a snapshot, or a point in time
 * covered by a snapshot and the oplog slices after it.
 */
export class MongoRestore {
  /** The snapshot named `backupName` (as `pbm list` shows it, e.g. `2026-12-01T03:00:21Z`). */
  public static fromBackup(backupName: string, options: MongoRestoreOptions = {}): MongoRestore {
    return new MongoRestore(backupName, undefined, options.sourceClusterName);
  }

  /** The state at `time`, UTC, as `YYYY-MM-DDTHH:MM:SS` (needs point-in-time recovery on when it was written). */
  public static toPointInTime(time: string, options: MongoRestoreOptions = {}): MongoRestore {
    return new MongoRestore(undefined, time, options.sourceClusterName);
  }

  private constructor(
    /** The snapshot to restore, or undefined for a point in time. */
    public readonly backupName: string | undefined,
    /** The point in time to restore, or undefined for a snapshot. */
    public readonly pointInTime: string | undefined,
    /** The cluster that took the backup, when another one. */
    public readonly sourceClusterName: string | undefined,
  ) {}
}

/** PBM's backup names: the snapshot's UTC start time. */
export const BACKUP_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** `pbm restore --time` takes UTC without a zone. */
export const POINT_IN_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** `pbm restore` arguments for `restore` into the replica sets `targets` (source replica sets are named the same, from the source cluster). */
export function restoreArgs(restore: MongoRestore, targets: string[], clusterName: string): string[] {
  const args = restore.backupName !== undefined ? [restore.backupName] : [`--time=${restore.pointInTime}`];
  const source = restore.sourceClusterName;
  if (source !== undefined && source !== clusterName) {
    const mapping = targets.map(target => `${target}=${source}${target.slice(clusterName.length)}`).join(',');
    args.push(`--replset-remapping=${mapping}`);
  }
  return args;
}
