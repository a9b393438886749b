import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { k8s } from 'cdk8s-plus-27';

/**
 * The task that applies `shardedCollections` to a DocumentDB Elastic cluster on a schedule.
 */
export interface MongoShardingTaskResources {
  /** Fargate task definition running mongosh with the sharding script. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** Security group of the task, admitted to the cluster. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The task's log group. */
  readonly logGroup: logs.ILogGroup;
  /** EventBridge rule running the task on `aws.shardingInterval`. */
  readonly rule: events.Rule;
  /** Role EventBridge starts the task with (run this task definition, pass its roles). */
  readonly scheduleRole: iam.Role;
}

/**
 * The hourly check that publishes the age of a DocumentDB Elastic cluster's newest snapshot
 * (metric `HoursSinceLastBackup` in `CdkPortablePlatform/Backups`), which the ObservabilityStack's
 * `MongoBackupMissing` alarm reads.
 */
export interface MongoBackupCheckResources {
  /** The function (Node.js, inline code) that lists the snapshots and publishes their age. */
  readonly lambdaFunction: lambda.Function;
  /** Its role: list snapshots, read this cluster, publish to the backup namespace, write its logs. */
  readonly role: iam.Role;
  /** Its log group (retained, encrypted with the platform key). */
  readonly logGroup: logs.LogGroup;
  /** The EventBridge rule invoking it every hour. */
  readonly rule: events.Rule;
}

/**
 * The AWS resources of a MongoShardedCluster, for escape hatches.
 */
export interface MongoShardedClusterAwsResources {
  /** The DocumentDB Elastic cluster. */
  readonly cluster: docdbelastic.CfnCluster;
  /** Security group of the cluster: no rule until `allowFrom`. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The administrator's password secret (generated unless `adminPassword` was given). */
  readonly adminSecret: secretsmanager.ISecret;
  /** The sharding task; undefined without `shardedCollections`. */
  readonly shardingTask?: MongoShardingTaskResources;
  /** The backup-age check; undefined with `aws.backupAgeCheck: false`. */
  readonly backupCheck?: MongoBackupCheckResources;
}

/**
 * The objects of one replica set (the config servers or a shard).
 */
export interface MongoReplicaSetObjects {
  /** Replica set name (also the StatefulSet and Service name). */
  readonly replicaSetName: string;
  /** The members. */
  readonly statefulSet: k8s.KubeStatefulSet;
  /** Headless Service giving each member a stable DNS name. */
  readonly headlessService: k8s.KubeService;
  /** At most one member down at a time. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /**
   * Each member's volume claim, declared at `storageSize` when it has grown past
   * `kubernetes.volumeClaimTemplateSize` (Kubernetes expands them in place); otherwise empty.
   */
  readonly expandedVolumeClaims: k8s.KubePersistentVolumeClaim[];
}

/**
 * The Kubernetes objects of a MongoShardedCluster, for escape hatches.
 */
export interface MongoShardedClusterKubernetesResources {
  /** Identity of every pod (no API token mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The generated init, backup and restore scripts. */
  readonly scripts: k8s.KubeConfigMap;
  /** The config-server replica set. */
  readonly configServers: MongoReplicaSetObjects;
  /** One replica set per shard, in shard order. */
  readonly shards: MongoReplicaSetObjects[];
  /** The mongos Deployment. */
  readonly routers: k8s.KubeDeployment;
  /** The mongos Service: the cluster's endpoint. */
  readonly routerService: k8s.KubeService;
  /** At most one mongos down at a time. */
  readonly routerDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** Headless Service over every exporter, for Prometheus discovery. */
  readonly metricsService: k8s.KubeService;
  /** Policy of the mongod pods (and their backup agents): members, routers and the Jobs only; egress to the backup bucket. */
  readonly memberNetworkPolicy: k8s.KubeNetworkPolicy;
  /** Policy of the mongos pods: `allowFrom` peers, the Jobs, and egress to the members. */
  readonly routerNetworkPolicy: k8s.KubeNetworkPolicy;
  /** Policy of the init, backup and restore Jobs: egress to the cluster only. */
  readonly jobNetworkPolicy: k8s.KubeNetworkPolicy;
  /**
   * The idempotent bootstrap Job, then the backup configuration. Its written name carries a hash of
   * its pod template and scripts (fixed at synthesis, after `connect` added per-service users), so a
   * change runs it again.
   */
  readonly initJob: k8s.KubeJob;
  /** The backup CronJob: a Percona Backup for MongoDB snapshot, the retention, and the record the backup alert reads. */
  readonly backupCronJob: k8s.KubeCronJob;
  /**
   * The existing ReadWriteMany claim every backup agent writes to (a volume target), which these
   * manifests do not contain, so that deleting them keeps the backups; undefined with an S3 target.
   */
  readonly backupClaimName?: string;
  /** The restore Job; undefined without `kubernetes.restore`. */
  readonly restoreJob?: k8s.KubeJob;
  /** DNS names the TLS certificate in `kubernetes.tlsSecretName` must cover. */
  readonly tlsDnsNames: string[];
}
