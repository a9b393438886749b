import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart } from 'cdk8s';
import { MongoRestore, MongoShardedCluster, MongoShardedClusterProps, MongoShardKey } from '../../src/mongo-sharded-cluster';
import { isSupportedMongoVersion } from '../../src/mongo-sharded-cluster/validation-targets';
import { backupWindow, dailyStartMinute, overlapsDaily, parseWeeklyWindow } from '../../src/mongo-sharded-cluster/windows';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformSecret } from '../../src/platform/secret';
import { awsStack, kubernetesChart } from '../util';

const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];
const create = (scope: Stack | Chart, props: MongoShardedClusterProps) => () => new MongoShardedCluster(scope, 'OrdersDb', props);
const s3Credentials = { accessKeyId: PlatformSecret.named('s3', 'id'), secretAccessKey: PlatformSecret.named('s3', 'key') };

describe.each(targets)('MongoShardedCluster validation on %s', (_target, scope) => {
  test.each<[string, MongoShardedClusterProps, RegExp]>([
    ['an even member count', { membersPerShard: 4 },
      /OrdersDb: membersPerShard must be odd \(got 4\): an even replica set cannot elect a primary after a split into halves; use 3 or 5/],
    ['one member per shard', { membersPerShard: 1 }, /membersPerShard is too small \(got 1\): each shard's replica set needs at least 3 members \(an odd number\)/],
    ['fewer than three config servers', { configServers: 1 }, /OrdersDb: configServers is too small \(got 1\): the config-server replica set needs at least 3 members/],
    ['an even config-server count', { configServers: 4 }, /configServers must be odd \(got 4\)/],
    ['arbiters', { arbitersPerShard: 1 },
      /OrdersDb: arbitersPerShard is not supported \(got 1\): arbiters hold no data, so a shard with a down member keeps acknowledging writes a majority never stores; use an odd membersPerShard instead/],
    ['zero shards', { shards: 0 }, /OrdersDb: shards must be at least 1 \(got 0\): a sharded cluster needs 1 to 32 shards/],
    ['too many shards', { shards: 33 }, /shards is out of range \(got 33\): use an integer from 1 to 32/],
    ['a single router', { routers: 1 }, /routers is out of range \(two or more keep routing up through a node failure\) \(got 1\): use an integer from 2 to 100/],
    ['a fractional storage size', { storageSize: Size.mebibytes(1536) },
      /OrdersDb: storageSize is not a valid volume size \(got "1.5 GiB"\): use whole gibibytes from 1 to 65536/],
    ['an empty storage size', { storageSize: Size.gibibytes(0) }, /storageSize is not a valid volume size \(got "0 GiB"\)/],
    ['a shard key on a collection not listed', { shardedCollections: ['shop.orders'], shardKeys: { 'shop.carts': MongoShardKey.hashed('cartId') } },
      /OrdersDb: shardKeys.shop.carts is a shard key for a collection that is not listed \(got "shop.carts"\): add "shop.carts" to shardedCollections, or remove its key \(listed: shop.orders\)/],
    ['a shard key without collections', { shardKeys: { 'shop.carts': MongoShardKey.hashed('cartId') } }, /listed: none/],
    ['a shard key field starting with $', { shardedCollections: ['shop.orders'], shardKeys: { 'shop.orders': MongoShardKey.hashed('$id') } },
      /shardKeys.shop.orders has invalid fields \(got \["\$id"\]\)/],
    ['a namespace without a collection', { shardedCollections: ['orders'] }, /shardedCollections names no valid database \(got "orders"\): use "database.collection"/],
    ['a system database', { shardedCollections: ['config.things'] }, /shardedCollections is in a system database \(got "config.things"\)/],
    ['a system collection', { shardedCollections: ['shop.system.views'] }, /shardedCollections names no valid collection \(got "shop.system.views"\)/],
    ['a namespace listed twice', { shardedCollections: ['shop.orders', 'shop.orders'] }, /shardedCollections lists a collection twice \(got "shop.orders"\)/],
    ['an invalid cluster name', { clusterName: 'Orders_DB' }, /OrdersDb: clusterName is not a DNS label of at most 40 characters \(got "Orders_DB"\)/],
    ['a cluster name too long for derived names', { clusterName: 'a'.repeat(41) }, /clusterName is not a DNS label of at most 40 characters/],
    ['a reserved admin name', { adminUsername: 'backup' }, /OrdersDb: adminUsername is reserved \(got "backup"\): choose a name other than admin, root, metrics, backup, pbm, serviceadmin/],
    ['an invalid admin name', { adminUsername: 'db-admin' }, /adminUsername is not a valid user name \(got "db-admin"\): use 1-63 letters and digits, starting with a letter/],
    ['a schedule that is not cron', { backup: { schedule: 'daily' } }, /OrdersDb: backup.schedule is not a five-field cron expression \(got "daily"\)/],
    ['a retention under a week', { backup: { retention: Duration.days(3) } }, /OrdersDb: backup.retention is out of range \(got "3 days"\): keep backups whole days, from 7 to 3650/],
    ['a retention of partial days', { backup: { retention: Duration.hours(200) } }, /backup.retention is out of range \(got "8.333333333333334 days"\)/],
  ])('%s', (_name, props, message) => {
    expect(create(scope(), props)).toThrow(message);
  });

  test('every problem is reported at once', () => {
    expect(create(scope(), { membersPerShard: 2, shards: 0 })).toThrow(/2 problems:\n {2}- .*shards must be at least 1.*\n {2}- .*membersPerShard is too small/);
  });

  test('connectionString refuses a system or malformed database', () => {
    const cluster = create(scope(), {})();
    expect(() => cluster.connectionString('admin')).toThrow(/OrdersDb: connectionString\(database\) is not an application database \(got "admin"\)/);
    expect(() => cluster.connectionString('my db')).toThrow(/is not an application database \(got "my db"\)/);
  });
});

describe('what DocumentDB Elastic cannot honour fails on AWS only', () => {
  test.each<[string, MongoShardedClusterProps, RegExp]>([
    ['config-server count', { configServers: 5 },
      /OrdersDb: configServers cannot be honoured by DocumentDB Elastic on aws \(got 5\): DocumentDB Elastic manages its own cluster metadata; leave configServers unset \(3\)/],
    ['router count', { routers: 3 }, /routers cannot be honoured by DocumentDB Elastic on aws \(got 3\): DocumentDB Elastic routes queries itself/],
    ['storage size', { storageSize: Size.gibibytes(50) }, /storageSize cannot be honoured by DocumentDB Elastic on aws \(got "50 GiB"\): DocumentDB Elastic storage grows automatically/],
    ['storage class', { storageClass: 'gp3' }, /storageClass cannot be honoured by DocumentDB Elastic on aws \(got "gp3"\)/],
    ['a pinned version', { version: '7.0.28' }, /version cannot be honoured by DocumentDB Elastic on aws \(got "7.0.28"\): DocumentDB Elastic chooses its engine/],
    ['TLS off', { tls: false }, /OrdersDb: tls cannot be turned off on aws \(got false\): DocumentDB Elastic always encrypts connections/],
    ['an hourly backup', { backup: { schedule: '0 * * * *' } },
      /backup.schedule is not daily, which DocumentDB Elastic requires on aws \(got "0 \* \* \* \*"\): DocumentDB takes one automated snapshot a day/],
    ['a retention over 35 days', { backup: { retention: Duration.days(60) } }, /backup.retention exceeds what DocumentDB Elastic keeps on aws \(got "60 days"\): use 7 to 35 days/],
    ['a ranged shard key', { shardedCollections: ['shop.orders'], shardKeys: { 'shop.orders': MongoShardKey.ranged(['region', 'id']) } },
      /shardKeys.shop.orders is not a single hashed field, which DocumentDB Elastic requires on aws \(got \["region","id"\]\): use MongoShardKey.hashed\(field\)/],
    ['a shard capacity Elastic does not sell', { aws: { shardCapacity: 6 } }, /aws.shardCapacity is not a DocumentDB Elastic shard capacity \(got 6\): use 2, 4, 8, 16, 32, 64 vCPUs/],
    ['a SNAPSHOT removal policy', { aws: { removalPolicy: RemovalPolicy.SNAPSHOT } },
      /aws.removalPolicy cannot be SNAPSHOT for DocumentDB Elastic \(got "SNAPSHOT"\): CloudFormation cannot snapshot AWS::DocDBElastic::Cluster on deletion/],
    ['a malformed maintenance window', { aws: { preferredMaintenanceWindow: 'sunday 5am' } },
      /aws.preferredMaintenanceWindow is not a weekly window of at least 30 minutes \(got "sunday 5am"\)/],
    ['a short maintenance window', { aws: { preferredMaintenanceWindow: 'sun:05:00-sun:05:10' } }, /is not a weekly window of at least 30 minutes/],
    ['a maintenance window over the backups', { backup: { schedule: '15 5 * * *' } },
      /aws.preferredMaintenanceWindow overlaps the daily backup window \(got "sun:05:00-sun:05:30"\): move it outside the 30 minutes after 15 5 \* \* \*/],
    ['a named password', { adminPassword: PlatformSecret.named('mongo', 'password') },
      /OrdersDb: adminPassword is not a whole Secrets Manager secret \(got "mongo"\): DocumentDB Elastic reads the whole secret value as the password/],
    ['a double hyphen', { clusterName: 'orders--db' }, /clusterName contains "--", which DocumentDB Elastic refuses on aws/],
    ['a sharding interval under 5 minutes', { aws: { shardingInterval: Duration.minutes(1) } }, /aws.shardingInterval is out of range \(got 1\): use whole minutes from 5 minutes to 7 days/],
  ])('%s', (_name, props, message) => {
    expect(create(awsStack(), props)).toThrow(message);
    expect(create(kubernetesChart(), props)).not.toThrow();
  });

  test('instances per shard: Elastic allows up to 15 (odd) on AWS; Kubernetes allows 7 voting members', () => {
    expect(create(awsStack(), { membersPerShard: 17 })).toThrow(/membersPerShard exceeds DocumentDB Elastic's shard instance count on aws \(got 17\): use an integer from 1 to 15/);
    expect(create(awsStack(), { membersPerShard: 9 })).not.toThrow();
    expect(create(kubernetesChart(), { membersPerShard: 9 })).toThrow(/voting members/);
  });

  test('a JSON field of a Secrets Manager secret is refused; the whole secret is fine', () => {
    const stack = awsStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'mongo');
    expect(create(stack, { adminPassword: PlatformSecret.fromSecretsManager(secret, 'password') })).toThrow(/adminPassword is not a whole Secrets Manager secret \(got "password"\)/);
    expect(create(awsStack(), { adminPassword: PlatformSecret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(awsStack(), 'S', 'mongo')) })).not.toThrow();
  });
});

describe('what only Kubernetes refuses', () => {
  test.each<[string, MongoShardedClusterProps, RegExp]>([
    ['nine voting members', { membersPerShard: 9 }, /OrdersDb: membersPerShard exceeds MongoDB's voting members \(got 9\): use at most 7/],
    ['nine config servers', { configServers: 9 }, /configServers exceeds MongoDB's voting members \(got 9\)/],
    ['an unpinned version', { version: 'latest' },
      /OrdersDb: version is not a pinned, supported MongoDB version \(got "latest"\): use major.minor.patch of 6.0, 7.0 or 8.0 \(what Percona Backup for MongoDB backs up\)/],
    ['a version PBM does not back up', { version: '5.0.30' }, /version is not a pinned, supported MongoDB version \(got "5.0.30"\)/],
    ['an invalid storage class', { storageClass: 'GP3' }, /storageClass is not a StorageClass name \(got "GP3"\)/],
    ['too little memory', { kubernetes: { memberResources: { cpu: 1, memory: Size.mebibytes(128) } } }, /kubernetes.memberResources.memory is too small \(got "128 MiB"\): give mongod and mongos at least 256 whole MiB/],
    ['no cpu', { kubernetes: { routerResources: { cpu: 0, memory: Size.gibibytes(1) } } }, /kubernetes.routerResources.cpu is out of range \(got 0\)/],
    ['storage below the size the volumes were created with', { storageSize: Size.gibibytes(10), kubernetes: { volumeClaimTemplateSize: Size.gibibytes(20) } },
      /storageSize is below kubernetes.volumeClaimTemplateSize \(got "10 GiB"\): volumes cannot shrink/],
    ['draining every shard', { shards: 2, kubernetes: { drainingShards: 2 } },
      /kubernetes.drainingShards is out of range \(got 2\)/],
    ['a backup age under an hour', { kubernetes: { backupMaxAge: Duration.minutes(30) } },
      /kubernetes.backupMaxAge is too short \(got "30 minutes"\): use whole seconds, at least Duration.hours\(1\), above the interval of backup.schedule/],
    ['an invalid bucket', { kubernetes: { backupTarget: BackupTarget.s3({ bucket: 'Bad_Bucket', ...s3Credentials }) } }, /kubernetes.backupTarget.bucket is not a bucket name \(got "Bad_Bucket"\)/],
    ['an endpoint without scheme', { kubernetes: { backupTarget: BackupTarget.s3({ bucket: 'b-1', endpoint: 'minio:9000', ...s3Credentials }) } },
      /kubernetes.backupTarget.endpoint is not an endpoint URL \(got "minio:9000"\)/],
    ['a prefix without a slash', { kubernetes: { backupTarget: BackupTarget.s3({ bucket: 'b-1', prefix: 'mongo', ...s3Credentials }) } },
      /kubernetes.backupTarget.prefix is not a key prefix \(got "mongo"\)/],
    ['a backup volume size (the shared claim exists outside the manifests)', { kubernetes: { backupTarget: BackupTarget.volume({ size: Size.gibibytes(100) }) } },
      /OrdersDb: kubernetes.backupTarget.size is not used by MongoShardedCluster backups \(got "100 GiB"\): the agents share an existing ReadWriteMany claim \(claimName\): size it where you create it/],
    ['a backup storage class', { kubernetes: { backupTarget: BackupTarget.volume({ storageClass: 'nfs' }) } },
      /kubernetes.backupTarget.storageClass is not used by MongoShardedCluster backups \(got "nfs"\): the agents share an existing ReadWriteMany claim \(claimName\): choose its class/],
    ['an invalid claim name', { kubernetes: { backupTarget: BackupTarget.volume({ claimName: 'Mongo_Backups' }) } },
      /kubernetes.backupTarget.claimName is not a PersistentVolumeClaim name \(got "Mongo_Backups"\): use a lowercase DNS subdomain/],
    ['scratch space (PBM streams to the bucket)', { kubernetes: { backupTarget: BackupTarget.s3({ bucket: 'b-1', scratchSize: Size.gibibytes(50), ...s3Credentials }) } },
      /kubernetes.backupTarget.scratchSize is not used by MongoShardedCluster backups \(got "50 GiB"\): Percona Backup for MongoDB streams each replica set's part straight to the bucket: remove scratchSize/],
    ['backups that block writes', { kubernetes: { backupBlocksWrites: true } },
      /OrdersDb: kubernetes.backupBlocksWrites is no longer supported \(got true\): backups never lock writes now \(Percona Backup for MongoDB snapshots the cluster while it takes writes\): remove it/],
    ['an oplog span without PITR', { kubernetes: { pointInTimeRecovery: false, oplogSpan: Duration.minutes(5) } },
      /kubernetes.oplogSpan is set while kubernetes.pointInTimeRecovery is false \(got "5 minutes"\): turn pointInTimeRecovery on, or remove oplogSpan/],
    ['an oplog span in seconds', { kubernetes: { oplogSpan: Duration.seconds(90) } },
      /kubernetes.oplogSpan is out of range \(got "1 minute 30 seconds"\): use whole minutes from Duration.minutes\(1\) to Duration.days\(1\)/],
    ['an oplog span over a day', { kubernetes: { oplogSpan: Duration.hours(25) } }, /kubernetes.oplogSpan is out of range \(got "1 day 1 hour"\)/],
    ['a restore of no backup name', { kubernetes: { restore: MongoRestore.fromBackup('latest') } },
      /OrdersDb: kubernetes.restore names no backup \(got "latest"\): use a backup name as `pbm list` shows it, e.g. "2026-12-01T03:00:21Z"/],
    ['a point in time with a zone', { kubernetes: { restore: MongoRestore.toPointInTime('2026-12-01T14:30:00+02:00') } },
      /kubernetes.restore is not a point in time \(got "2026-12-01T14:30:00\+02:00"\): use UTC as YYYY-MM-DDTHH:MM:SS/],
    ['an impossible point in time', { kubernetes: { restore: MongoRestore.toPointInTime('2026-13-40T25:00:00') } }, /kubernetes.restore is not a point in time/],
    ['a restore from an invalid cluster name', { kubernetes: { restore: MongoRestore.fromBackup('2026-12-01T03:00:21Z', { sourceClusterName: 'Old DB' }) } },
      /kubernetes.restore.sourceClusterName is not a cluster name \(got "Old DB"\): use the clusterName of the cluster that took the backup/],
  ])('%s', (_name, props, message) => {
    expect(create(kubernetesChart(), props)).toThrow(message);
  });

  test('a Secrets Manager secret cannot be a Kubernetes Secret reference', () => {
    const secret = secretsmanager.Secret.fromSecretNameV2(awsStack(), 'S', 'mongo');
    expect(create(kubernetesChart(), { adminPassword: PlatformSecret.fromSecretsManager(secret) }))
      .toThrow(/OrdersDb: adminPassword is a Secrets Manager secret, which is not supported on kubernetes: use PlatformSecret.named/);
  });

  test.each([['6.0.1', true], ['6.1.0', false], ['7.0.2', true], ['7.0.28', true], ['7.2.0', false], ['8.0.4', true], ['8.1.0', false], ['5.0.30', false], ['7.0', false]])(
    'Percona Backup for MongoDB backs up MongoDB %s: %s', (version, supported) => {
      expect(isSupportedMongoVersion(version as string)).toBe(supported);
    });
});

describe('DocumentDB windows', () => {
  test('a daily cron becomes a 30-minute window; other schedules have none', () => {
    expect(dailyStartMinute('0 3 * * *')).toBe(180);
    expect(dailyStartMinute('59  23 * * *')).toBe(1439);
    expect(backupWindow(1439)).toBe('23:59-00:29');
    expect(dailyStartMinute('0 3 * * 1')).toBeUndefined();
    expect(dailyStartMinute('0 24 * * *')).toBeUndefined();
  });

  test('weekly windows parse, wrap over Sunday midnight, and are checked against every day', () => {
    expect(parseWeeklyWindow('Sun:23:30-Mon:00:30')).toEqual({ start: 6 * 1440 + 1410, length: 60 });
    expect(parseWeeklyWindow('xyz:01:00-mon:02:00')).toBeUndefined();
    expect(overlapsDaily(parseWeeklyWindow('sun:23:30-mon:00:30')!, 10)).toBe(true);
    expect(overlapsDaily(parseWeeklyWindow('tue:03:30-tue:04:00')!, 180)).toBe(false);
    expect(overlapsDaily(parseWeeklyWindow('tue:03:29-tue:04:00')!, 180)).toBe(true);
  });
});
