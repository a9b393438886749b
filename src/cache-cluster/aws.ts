import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { awsSeedProperties } from './aws-restore';
import { CacheRbac } from './aws-users';
import { CacheHandle } from './cache-handle';
import { CacheClusterMode } from './engine';
import { CacheClusterAwsResources } from './resources';
import { CACHE_DEFAULTS, CacheClusterSpec } from './spec';
import { AwsPlatform } from '../platform/aws-platform';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError } from '../platform/errors';
import { acknowledgeNagFinding } from '../platform/nag';
import { PlatformSecret } from '../platform/secret';

/**
 * Renders the cache as an ElastiCache replication group in the platform VPC's isolated subnets:
 * Multi-AZ automatic failover, TLS required, KMS at rest, AUTH token from Secrets Manager (or an
 * RBAC user group), snapshots, slow and engine logs in CloudWatch Logs.
 */
export function renderCacheClusterOnAws(scope: Construct, spec: CacheClusterSpec, userSetPort: boolean): CacheHandle<CacheClusterAwsResources> {
  const platform = AwsPlatform.of(scope);
  platform._claimName(scope, 'ElastiCache replication group', spec.name);
  const cluster = spec.mode === CacheClusterMode.CLUSTER;
  const retain = spec.removalPolicy === RemovalPolicy.RETAIN;

  const subnetGroup = new elasticache.CfnSubnetGroup(scope, 'SubnetGroup', {
    description: `Isolated subnets of cache ${spec.name}`,
    subnetIds: platform.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Nodes of cache ${spec.name}: only allowFrom peers are admitted`,
    // ElastiCache nodes never open connections to the VPC.
    allowAllOutbound: false,
  });
  const parameterGroup = new elasticache.CfnParameterGroup(scope, 'ParameterGroup', {
    cacheParameterGroupFamily: spec.engine.parameterGroupFamily,
    description: `Parameters of cache ${spec.name}`,
    properties: { 'maxmemory-policy': spec.evictionPolicy, 'cluster-enabled': cluster ? 'yes' : 'no' },
  });

  const authSecret = spec.aws.userGroupId ? undefined : authTokenSecret(scope, spec, platform);
  const logGroup = (id: string) => platform.createLogGroup(scope, id, spec.aws.logRetention);
  const slowLogGroup = logGroup('SlowLog');
  const engineLogGroup = logGroup('EngineLog');
  const logDelivery = (logType: string, group: logs.ILogGroup): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty => ({
    logType,
    logFormat: 'json',
    destinationType: 'cloudwatch-logs',
    destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
  });

  const snapshots = spec.aws.snapshotRetentionDays > 0;
  const replicationGroup = new elasticache.CfnReplicationGroup(scope, 'Resource', {
    replicationGroupId: spec.name,
    replicationGroupDescription: `${spec.name}: ${spec.mode} mode, ${spec.replicas} replica(s) per primary`,
    engine: spec.engine.engineName,
    engineVersion: spec.aws.engineVersion,
    cacheNodeType: spec.aws.nodeType,
    cacheParameterGroupName: parameterGroup.ref,
    cacheSubnetGroupName: subnetGroup.ref,
    securityGroupIds: [securityGroup.securityGroupId],
    port: spec.port,
    ...(cluster
      ? { numNodeGroups: spec.shards, replicasPerNodeGroup: spec.replicas }
      : { numCacheClusters: 1 + spec.replicas }),
    automaticFailoverEnabled: spec.automaticFailover,
    multiAzEnabled: spec.automaticFailover,
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'required',
    atRestEncryptionEnabled: true,
    kmsKeyId: platform.encryptionKey.keyArn,
    authToken: authSecret ? authToken(authSecret, spec.auth) : undefined,
    userGroupIds: spec.aws.userGroupId ? [spec.aws.userGroupId] : undefined,
    snapshotRetentionLimit: spec.aws.snapshotRetentionDays,
    snapshotWindow: snapshots ? spec.aws.snapshotWindow : undefined,
    preferredMaintenanceWindow: spec.aws.maintenanceWindow,
    autoMinorVersionUpgrade: true,
    logDeliveryConfigurations: [logDelivery('slow-log', slowLogGroup), logDelivery('engine-log', engineLogGroup)],
    ...awsSeedProperties(spec),
  });
  replicationGroup.applyRemovalPolicy(spec.removalPolicy);
  // A retained replication group keeps using these: deleting them would fail the stack deletion.
  if (retain) [subnetGroup, parameterGroup, securityGroup].forEach(r => r.applyRemovalPolicy(RemovalPolicy.RETAIN));
  acknowledgeExplicitChoices(replicationGroup, spec, userSetPort);

  const host = cluster ? replicationGroup.attrConfigurationEndPointAddress : replicationGroup.attrPrimaryEndPointAddress;
  const rbac = new CacheRbac(scope, spec, replicationGroup, authSecret ? authToken(authSecret, spec.auth) : undefined);
  return {
    resources: {
      replicationGroup,
      subnetGroup,
      parameterGroup,
      securityGroup,
      authSecret,
      slowLogGroup,
      engineLogGroup,
      // Created by the first connect, after rendering.
      get rbac() { return rbac.rbacResources; },
    },
    endpoint: new Endpoint(host, spec.port, 'rediss'),
    password: authSecret ? spec.auth ?? PlatformSecret.fromSecretsManager(authSecret) : undefined,
    tls: true,
    allowFrom: peer => securityGroup.connections.allowFrom(peer._awsPeer(scope), ec2.Port.tcp(spec.port), `allowFrom ${peer.cidr ?? 'peer'} to cache ${spec.name}`),
    allowMetricsFrom: () => {
      throw new PlatformValidationError(`${scope.node.path}: allowMetricsFrom is not supported on aws: ` +
        'ElastiCache publishes its metrics to CloudWatch (namespace AWS/ElastiCache); use metric() instead');
    },
    addUser: user => rbac.addUser(user),
  };
}

/** The AUTH token: the referenced secret, or a new one that meets ElastiCache's token rules. */
function authTokenSecret(scope: Construct, spec: CacheClusterSpec, platform: AwsPlatform): secretsmanager.ISecret {
  if (spec.auth) return spec.auth._toSecretsManager(scope, 'AuthToken');
  const secret = new secretsmanager.Secret(scope, 'AuthToken', {
    description: `AUTH token of cache ${spec.name} (${Stack.of(scope).stackName})`,
    encryptionKey: platform.encryptionKey,
    // 16-128 printable characters without spaces, quotes, "/" or "@": alphanumerics satisfy every rule.
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    // The retained replication group still needs its token.
    removalPolicy: spec.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  acknowledgeNagFinding(secret, 'AwsSolutions-SMG4',
    'Secrets Manager has no hosted rotation for ElastiCache AUTH tokens; rotate with ModifyReplicationGroup ' +
    '(AuthTokenUpdateStrategy ROTATE, then SET) so clients keep working during the change');
  return secret;
}

/** A CloudFormation dynamic reference to the token: the template never holds its value. */
function authToken(secret: secretsmanager.ISecret, reference: PlatformSecret | undefined): string {
  // A portable name resolves by name, the same secret `PlatformSecret.named` means everywhere.
  if (reference?.secretName) return SecretValue.secretsManager(reference.secretName, { jsonField: reference.key }).unsafeUnwrap();
  const field = reference?.key;
  return (field ? secret.secretValueFromJson(field) : secret.secretValue).unsafeUnwrap();
}

/** cdk-nag rules the defaults satisfy, acknowledged only where the caller chose otherwise. */
function acknowledgeExplicitChoices(replicationGroup: elasticache.CfnReplicationGroup, spec: CacheClusterSpec, userSetPort: boolean): void {
  if (spec.aws.userGroupId) {
    acknowledgeNagFinding(replicationGroup, 'AwsSolutions-AEC6',
      `Clients authenticate as users of the RBAC user group ${spec.aws.userGroupId} (aws.userGroupId) instead of one shared AUTH token`);
  }
  if (!spec.automaticFailover) {
    acknowledgeNagFinding(replicationGroup, 'AwsSolutions-AEC4',
      'automaticFailover: false was set explicitly for this cache, so it runs in a single Availability Zone');
  }
  if (userSetPort && spec.port === 6379 && spec.engine.engineName === 'redis') {
    acknowledgeNagFinding(replicationGroup, 'AwsSolutions-AEC5',
      `port 6379 was set explicitly (the construct defaults to ${CACHE_DEFAULTS.awsPort}); access is limited by the security group and AUTH`);
  }
}
