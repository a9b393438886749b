import { RemovalPolicy } from 'aws-cdk-lib';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { renderBackupCheck } from './aws-backup-check';
import { renderShardingTask } from './aws-sharding';
import { MongoClusterHandle } from './cluster-handle';
import { MongoShardedClusterAwsResources } from './resources';
import { MONGO_DEFAULTS, MongoShardedClusterSpec } from './spec';
import { maintenanceWindowOf } from './validation-targets';
import { backupWindow, dailyStartMinute } from './windows';
import { AwsPlatform } from '../platform/aws-platform';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError } from '../platform/errors';
import { acknowledgeNagFinding } from '../platform/nag';
import { PlatformSecret } from '../platform/secret';

/** DocumentDB connections need TLS and do not support retryable writes. */
export const DOCUMENTDB_OPTIONS = '&tls=true&retryWrites=false';

/**
 * Renders an Amazon DocumentDB Elastic Cluster in the platform's isolated subnets, with its
 * administrator password in Secrets Manager (auth type SECRET_ARN), a security group that admits
 * only `allowFrom` peers, KMS encryption, daily snapshots, the hourly check of their age and, with
 * `shardedCollections`, the scheduled task that shards them.
 */
export function renderMongoShardedClusterOnAws(scope: Construct, spec: MongoShardedClusterSpec): MongoClusterHandle<MongoShardedClusterAwsResources> {
  const platform = AwsPlatform.of(scope);
  platform._claimName(scope, 'DocumentDB Elastic cluster', spec.name);
  const key = spec.aws.encryptionKey ?? platform.encryptionKey;
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `DocumentDB Elastic cluster ${spec.name}: admits only allowFrom peers`,
    // The cluster answers connections; it opens none.
    allowAllOutbound: false,
  });

  const adminSecret = spec.adminPassword?.secretsManagerSecret ?? generatedSecret(scope, spec, key);
  const cluster = new docdbelastic.CfnCluster(scope, 'Resource', {
    clusterName: spec.name,
    adminUserName: spec.adminUsername,
    // The cluster reads the password from the secret: it never appears in the template.
    authType: 'SECRET_ARN',
    adminUserPassword: adminSecret.secretArn,
    shardCount: spec.shards,
    shardCapacity: spec.aws.shardCapacity ?? 2,
    shardInstanceCount: spec.membersPerShard,
    subnetIds: platform.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    kmsKeyId: key.keyArn,
    backupRetentionPeriod: spec.backup.retentionDays,
    preferredBackupWindow: backupWindow(dailyStartMinute(spec.backup.schedule)!),
    preferredMaintenanceWindow: maintenanceWindowOf(spec),
  });
  cluster.applyRemovalPolicy(spec.aws.removalPolicy ?? RemovalPolicy.RETAIN);

  const endpoint = new Endpoint(cluster.attrClusterEndpoint, MONGO_DEFAULTS.port, 'mongodb');
  const uri = `mongodb://${endpoint.address}/?authSource=admin${DOCUMENTDB_OPTIONS}`;
  const shardingTask = spec.collections.length > 0
    ? renderShardingTask(scope, { spec, uri, adminSecret, clusterSecurityGroup: securityGroup })
    : undefined;
  const backupCheck = (spec.aws.backupAgeCheck ?? true) ? renderBackupCheck(scope, spec, cluster) : undefined;

  return {
    resources: { cluster, securityGroup, adminSecret, shardingTask, backupCheck },
    endpoint,
    adminSecret: PlatformSecret.fromSecretsManager(adminSecret),
    metricsSource: undefined,
    connectionOptions: DOCUMENTDB_OPTIONS,
    allowFrom: peer => securityGroup.connections.allowFrom(peer._awsPeer(scope), ec2.Port.tcp(MONGO_DEFAULTS.port), `allowFrom ${peer.cidr ?? 'peer'}`),
    allowMetricsFrom: () => {
      throw new PlatformValidationError(`${scope.node.path}: allowMetricsFrom is not supported on aws: ` +
        'DocumentDB Elastic publishes its metrics to CloudWatch (namespace AWS/DocDB-Elastic); use metric() instead');
    },
    addServiceUser: () => {
      throw new PlatformValidationError(`${scope.node.path}: DocumentDB Elastic has no user management: per-service users are refused on aws`);
    },
    prepareService: () => ({}),
  };
}

/** A generated password: letters and digits only, so it is safe in URIs and shells (DocumentDB refuses / " @). */
function generatedSecret(scope: Construct, spec: MongoShardedClusterSpec, key: kms.IKey): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'AdminSecret', {
    description: `Administrator password of the DocumentDB Elastic cluster ${spec.name} (user ${spec.adminUsername})`,
    encryptionKey: key,
    generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
    // A retained cluster keeps needing its password.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeNagFinding(secret, 'AwsSolutions-SMG4',
    'DocumentDB Elastic reads this secret (auth type SECRET_ARN) only when the cluster is created or modified: a rotated value would not reach the cluster, so rotation is done by updating the cluster');
  return secret;
}
