import { Size } from 'aws-cdk-lib';
import { PlatformSecret } from '../platform/secret';

/**
 * A PersistentVolumeClaim that keeps the dumps inside the cluster.
 */
export interface MongoBackupVolumeOptions {
  /**
   * Size of the claim.
   *
   * @default the storage of every data-bearing member of one replica set per shard, plus the config servers' (storageSize × (shards + 1))
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
 * An S3-compatible bucket (Amazon S3, MinIO, Ceph RGW…) receiving the dumps.
 */
export interface MongoBackupS3Options {
  /** Bucket name. */
  readonly bucket: string;
  /**
   * Key prefix of the dumps (ends with "/").
   *
   * @default '<clusterName>/'
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
   * Scratch space for one dump before the upload (an ephemeral volume claim).
   *
   * @default as MongoBackupVolumeOptions.size
   */
  readonly scratchSize?: Size;
}

/**
 * Where the Kubernetes backup CronJob writes its dumps. On AWS, DocumentDB takes the snapshots.
 */
export class MongoBackupTarget {
  /** A PersistentVolumeClaim in the namespace. */
  public static volume(options: MongoBackupVolumeOptions = {}): MongoBackupTarget {
    return new MongoBackupTarget('volume', options, undefined);
  }

  /** An S3-compatible bucket, with credentials from Secrets. */
  public static s3(options: MongoBackupS3Options): MongoBackupTarget {
    return new MongoBackupTarget('s3', undefined, options);
  }

  private constructor(
    /** `volume` or `s3`. */
    public readonly kind: string,
    /** Options of a volume target. */
    public readonly volumeOptions: MongoBackupVolumeOptions | undefined,
    /** Options of an S3 target. */
    public readonly s3Options: MongoBackupS3Options | undefined,
  ) {}
}
