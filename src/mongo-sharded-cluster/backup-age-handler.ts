/**
 * The scheduled check that stands for `MongoBackupMissing` on AWS.
 *
 * DocumentDB Elastic publishes nothing CloudWatch could alarm on when a snapshot fails or is never
 * taken: its AWS/DocDB-Elastic metrics (the DocumentDB metric list, which AWS documents as applying
 * to elastic clusters too: https://docs.aws.amazon.com/documentdb/latest/developerguide/cloud_watch.html)
 * carry backup *storage* only (BackupRetentionPeriodStorageUsed, SnapshotStorageUsed,
 * TotalBackupStorageBilled), never the time of the last snapshot; and DocumentDB's events are RDS
 * events of instance-based clusters (source types db-instance, db-cluster, db-cluster-snapshot:
 * https://docs.aws.amazon.com/documentdb/latest/developerguide/event-subscriptions.categories-messages.html),
 * while the docdb-elastic API has no event operation. So a small function lists the cluster's
 * snapshots every hour and publishes the age of the newest usable one as a custom metric.
 *
 * The handler is plain JavaScript for the Lambda Node.js runtime, which includes the AWS SDK for
 * JavaScript v3 (`@aws-sdk/client-docdb-elastic`, `@aws-sdk/client-cloudwatch`): inline code, nothing
 * bundled. Its only logic, `backupAgeHours`, is pure and exported beside `handler`, so the tests
 * evaluate this very string (with a fake SDK) rather than a copy of it. It holds no `${`, which
 * CloudFormation validators read as a missed Fn::Sub, and every value it reads comes from the
 * environment: no user string is ever part of the code.
 */

/** Namespace of the metrics the platform publishes itself. */
export const BACKUP_METRIC_NAMESPACE = 'CdkPortablePlatform/Backups';
/** Age in hours of the newest available snapshot (or of the cluster, before its first snapshot). */
export const BACKUP_AGE_METRIC = 'HoursSinceLastBackup';
/** The metric's one dimension: DocumentDB cluster names are unique in an account and region. */
export const BACKUP_AGE_DIMENSION = 'ClusterName';

/** Environment variables the handler reads. */
export const BACKUP_CHECK_ENV = {
  clusterArn: 'CLUSTER_ARN',
  clusterName: 'CLUSTER_NAME',
  namespace: 'METRIC_NAMESPACE',
  metricName: 'METRIC_NAME',
} as const;

/** CloudFormation's limit on inline (ZipFile) code. */
export const INLINE_CODE_LIMIT = 4096;

export const BACKUP_AGE_HANDLER = `'use strict';
const { DocDBElasticClient, ListClusterSnapshotsCommand, GetClusterCommand } = require('@aws-sdk/client-docdb-elastic');
const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');

// Hours since the newest ACTIVE snapshot; before the first one, since the cluster was created (a new
// cluster counts as backed up, as on Kubernetes). Creating, failed or deleting snapshots restore nothing.
function backupAgeHours(snapshots, now, clusterCreated) {
  let newest = NaN;
  for (const snapshot of snapshots) {
    const taken = Date.parse(snapshot.snapshotCreationTime);
    if (snapshot.status === 'ACTIVE' && !Number.isNaN(taken) && !(taken <= newest)) newest = taken;
  }
  const since = Number.isNaN(newest) ? clusterCreated : newest;
  if (since === undefined || Number.isNaN(since)) return undefined;
  return Math.max(0, (now - since) / 3600000);
}

async function listSnapshots(client, clusterArn) {
  const snapshots = [];
  for (const snapshotType of ['automated', 'manual']) {
    let nextToken;
    do {
      const page = await client.send(new ListClusterSnapshotsCommand({ clusterArn, snapshotType, nextToken }));
      snapshots.push(...(page.snapshots || []).filter(s => s.clusterArn === clusterArn));
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return snapshots;
}

exports.handler = async () => {
  const env = process.env;
  const docdb = new DocDBElasticClient({});
  const snapshots = await listSnapshots(docdb, env.CLUSTER_ARN);
  let created;
  if (!snapshots.some(s => s.status === 'ACTIVE')) {
    const { cluster } = await docdb.send(new GetClusterCommand({ clusterArn: env.CLUSTER_ARN }));
    created = Date.parse(cluster.createTime);
  }
  const hours = backupAgeHours(snapshots, Date.now(), created);
  // Publishing nothing leaves the alarm's data missing, which it treats as breaching.
  if (hours === undefined) throw new Error('no snapshot and no creation time for ' + env.CLUSTER_ARN);
  await new CloudWatchClient({}).send(new PutMetricDataCommand({
    Namespace: env.METRIC_NAMESPACE,
    MetricData: [{ MetricName: env.METRIC_NAME, Dimensions: [{ Name: 'ClusterName', Value: env.CLUSTER_NAME }], Value: hours, Unit: 'None' }],
  }));
  console.log(JSON.stringify({ cluster: env.CLUSTER_NAME, snapshots: snapshots.length, hours }));
  return hours;
};
exports.backupAgeHours = backupAgeHours;
`;
