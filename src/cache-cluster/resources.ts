import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { k8s } from 'cdk8s-plus-27';
import { CacheRbacResources } from './aws-users';

/**
 * The AWS resources of a CacheCluster, for escape hatches.
 */
export interface CacheClusterAwsResources {
  /** The ElastiCache replication group (L1). */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Subnet group over the platform VPC's isolated subnets. */
  readonly subnetGroup: elasticache.CfnSubnetGroup;
  /** Parameter group (eviction policy, cluster mode). */
  readonly parameterGroup: elasticache.CfnParameterGroup;
  /** Security group of the nodes: only `allowFrom` peers are admitted. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The AUTH token secret (generated or referenced); undefined with an RBAC user group. */
  readonly authSecret?: secretsmanager.ISecret;
  /** Log group of the slow log. */
  readonly slowLogGroup: logs.ILogGroup;
  /** Log group of the engine log. */
  readonly engineLogGroup: logs.ILogGroup;
  /**
   * The RBAC user group, its default user and one user per connected service (`connect`).
   *
   * @default undefined until a service is connected
   */
  readonly rbac?: CacheRbacResources;
}

/**
 * The Kubernetes objects of a CacheCluster, for escape hatches: objects of cdk8s-plus-27's generated
 * `k8s` classes, each rendered as its manifest plus your `addJsonPatch` operations. Sentinel and
 * proxy objects exist in replication mode (Sentinels only with automatic failover); setup objects in
 * cluster mode.
 */
export interface CacheClusterKubernetesResources {
  /** The Redis nodes. */
  readonly statefulSet: k8s.KubeStatefulSet;
  /** Headless Service giving each node a stable name (`<name>-<i>.<name>-nodes`). */
  readonly headlessService: k8s.KubeService;
  /** The client Service `<name>`: the primary proxy (replication mode) or every node (cluster mode). */
  readonly service: k8s.KubeService;
  /** Generated redis.conf, sentinel.conf, haproxy.cfg and scripts. */
  readonly configMap: k8s.KubeConfigMap;
  /** ServiceAccount of every cache pod (its token is never mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** PodDisruptionBudget of the Redis nodes. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** NetworkPolicy of the Redis nodes. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The Sentinels. */
  readonly sentinelStatefulSet?: k8s.KubeStatefulSet;
  /** Headless Service of the Sentinels, for Sentinel-aware clients. */
  readonly sentinelService?: k8s.KubeService;
  /** PodDisruptionBudget of the Sentinels (a majority always stays up). */
  readonly sentinelDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** NetworkPolicy of the Sentinels. */
  readonly sentinelNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** HAProxy Deployment routing to the current primary. */
  readonly proxyDeployment?: k8s.KubeDeployment;
  /** PodDisruptionBudget of the proxies. */
  readonly proxyDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** NetworkPolicy of the proxies. */
  readonly proxyNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** Job that creates the cluster, or joins new shards and rebalances slots. */
  readonly setupJob?: k8s.KubeJob;
  /** NetworkPolicy of the setup Job. */
  readonly setupNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** CronJob taking the RDB snapshots (`kubernetes.backup`). */
  readonly backupCronJob?: k8s.KubeCronJob;
  /** StatefulSet keeping the snapshot volume (a volume target), retained by `kubectl delete -f`. */
  readonly backupStore?: k8s.KubeStatefulSet;
  /** NetworkPolicy of the store's pod: no traffic in or out. */
  readonly backupStoreNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** Scripts of the backup and restore pods. */
  readonly backupScripts?: k8s.KubeConfigMap;
  /** NetworkPolicy of the backup and restore pods: egress to the nodes and the bucket only. */
  readonly backupNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** Job copying `restoreFrom` into the cache once it runs. */
  readonly restoreJob?: k8s.KubeJob;
  /**
   * The TLS Secret (`ca.crt`, `tls.crt`, `tls.key`) every node and Sentinel serves, for a
   * certificate provisioner to issue.
   *
   * @default undefined without TLS
   */
  readonly tlsSecretName?: string;
  /** DNS names the certificate must carry (client Service, nodes, Sentinels); empty without TLS. */
  readonly tlsDnsNames: string[];
}
