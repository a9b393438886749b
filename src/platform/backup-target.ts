import { Size } from 'aws-cdk-lib';
import { PlatformSecret } from '../platform/secret';

/**
 * A PersistentVolumeClaim that keeps the backups inside the cluster.
 */
export interface BackupVolumeOptions {
  /**
   * An existing PersistentVolumeClaim to write to, created outside these manifests (so that
   * `kubectl delete -f` of the manifests keeps the backups). MongoShardedCluster needs one: its backup
   * agents share the claim, which must be ReadWriteMany (NFS, CephFS, EFS…).
   *
   * @default the construct renders its own claim (MongoShardedCluster: the existing claim `<clusterName>-backups`)
   */
  readonly claimName?: string;
  /**
   * Size of the claim.
   *
   * @default sized by the construct from its data: for MongoShardedCluster the storage of one member per shard plus
   * the config servers' (storageSize × (shards + 1))
   */
  readonly size?: Size;
  /**
   * StorageClass of the claim.
   *
   * @default the cluster's storageClass, else the platform's
   */
  readonly storageClass?: string;
}

/**
 * An S3-compatible bucket (Amazon S3, MinIO, Ceph RGW…) receiving the backups.
 */
export interface BackupS3Options {
  /** Bucket name. */
  readonly bucket: string;
  /**
   * Key prefix of the backups (ends with "/").
   *
   * @default '<name of the construct's cluster>/'
   */
  readonly prefix?: string;
  /**
   * Endpoint of an S3-compatible service, e.g. `https://minio.storage.svc:9000`.
   *
   * @default Amazon S3
   */
  readonly endpoint?: string;
  /**
   * Region of the bucket.
   *
   * @default 'us-east-1'
   */
  readonly region?: string;
  /** Access key id, read from a Secret. */
  readonly accessKeyId: PlatformSecret;
  /** Secret access key, read from a Secret. */
  readonly secretAccessKey: PlatformSecret;
  /**
   * Addresses the backup pods may reach on the endpoint's port (the default-deny policy blocks the rest).
   *
   * @default the public internet: '0.0.0.0/0' except private and link-local ranges (S3 has no fixed
   * addresses); set it for an endpoint inside your network (e.g. MinIO)
   */
  readonly egressCidr?: string;
  /**
   * Scratch space for one backup before the upload (an ephemeral volume claim).
   *
   * @default as BackupVolumeOptions.size
   */
  readonly scratchSize?: Size;
}

/**
 * Where a data store's Kubernetes backup Job writes its backups. On AWS the managed service (DocumentDB,
 * ElastiCache) takes the snapshots.
 */
export class BackupTarget {
  /** A PersistentVolumeClaim in the namespace. */
  public static volume(options: BackupVolumeOptions = {}): BackupTarget {
    return new BackupTarget('volume', options, undefined);
  }

  /** An S3-compatible bucket, with credentials from Secrets. */
  public static s3(options: BackupS3Options): BackupTarget {
    return new BackupTarget('s3', undefined, options);
  }

  private constructor(
    /** `volume` or `s3`. */
    public readonly kind: string,
    /** Options of a volume target. */
    public readonly volumeOptions: BackupVolumeOptions | undefined,
    /** Options of an S3 target. */
    public readonly s3Options: BackupS3Options | undefined,
  ) {}
}
