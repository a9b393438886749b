import { Aws } from 'aws-cdk-lib';
import { CacheClusterSpec } from './spec';

/**
 * What seeds the replication group when CloudFormation creates it (`restoreFrom`): RDB files in
 * Amazon S3 (`SnapshotArns`, one per file; ElastiCache spreads their keys over the shards) or an
 * ElastiCache snapshot (`SnapshotName`). Both apply at creation only: CloudFormation replaces the
 * replication group if they change afterwards.
 */
export function awsSeedProperties(spec: CacheClusterSpec): { snapshotArns?: string[]; snapshotName?: string } {
  const source = spec.restoreFrom;
  if (!source) return {};
  if (source.snapshotName !== undefined) return { snapshotName: source.snapshotName };
  const s3 = source.target!.s3Options!;
  const prefix = s3.prefix ?? `${spec.name}/`;
  return { snapshotArns: source.files.map(file => `arn:${Aws.PARTITION}:s3:::${s3.bucket}/${prefix}${file}`) };
}
