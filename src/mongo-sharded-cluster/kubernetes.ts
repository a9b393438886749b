import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MongoClusterHandle, CLIENT_ENV } from './cluster-handle';
import { renderBackup, renderInitJob, renderRestore, scriptFiles } from './kubernetes-jobs';
import { podSelectors, renderNetworkPolicies } from './kubernetes-network';
import { MongoKubernetesContext } from './kubernetes-pods';
import { instanceLabels, renderMetricsService, renderReplicaSet, renderRouters } from './kubernetes-workloads';
import { MongoShardedClusterKubernetesResources } from './resources';
import { backupClaimOf, backupTargetOf, MONGO_DEFAULTS, MongoShardedClusterSpec } from './spec';
import { mongoTopology, tlsDnsNames } from './topology';
import { Endpoint } from '../platform/endpoint';
import { publicInternetIpBlock } from '../platform/internet';
import { typedKubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { CredentialFormat } from '../platform/owned-credentials';
import { PlatformSecret } from '../platform/secret';

/**
 * Renders the cluster as plain manifests: a config-server StatefulSet, one StatefulSet per shard,
 * a mongos Deployment and Service, exporters, a backup agent beside every mongod, PDBs,
 * NetworkPolicies, an idempotent init Job, a backup CronJob and, on request, a restore Job. Credentials are Secrets referenced by name, never values.
 */
export function renderMongoShardedClusterOnKubernetes(
  scope: Construct, spec: MongoShardedClusterSpec,
): MongoClusterHandle<MongoShardedClusterKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const n = spec.name;
  const ref = (secret: PlatformSecret, prop: string) => secret._toSecretKeyRef(scope, prop);
  // The defaults are the cluster's own credentials: declared, so a provisioner can generate them.
  const owned = (supplied: PlatformSecret | undefined, fallback: PlatformSecret, format = CredentialFormat.PASSWORD) => {
    if (supplied) return supplied;
    platform.declareOwnedCredential(scope, fallback, format);
    return fallback;
  };
  const adminSecret = owned(spec.adminPassword, PlatformSecret.named(`${n}-admin`, 'password'));
  const s3 = backupTargetOf(spec).s3Options;
  const topology = mongoTopology(
    n, platform.namespace, spec.shards, spec.membersPerShard, spec.configServers, spec.tls, spec.kubernetes.drainingShards ?? 0);
  const ctx: MongoKubernetesContext = {
    scope,
    platform,
    spec,
    topology,
    image: `mongo:${spec.version}`,
    serviceAccountName: n,
    keyFile: ref(owned(spec.kubernetes.keyFile, PlatformSecret.named(`${n}-keyfile`, 'keyfile'), CredentialFormat.MONGO_KEYFILE), 'kubernetes.keyFile'),
    tlsSecretName: spec.kubernetes.tlsSecretName ?? `${n}-tls`,
    adminPassword: ref(adminSecret, 'adminPassword'),
    monitorPassword: ref(owned(spec.kubernetes.monitorPassword, PlatformSecret.named(`${n}-admin`, 'monitor-password')), 'kubernetes.monitorPassword'),
    // Its own Secret: the backup agents run beside every mongod and read nothing else of the admin's.
    backupPassword: ref(owned(spec.kubernetes.backupPassword, PlatformSecret.named(`${n}-pbm`, 'password')), 'kubernetes.backupPassword'),
    backupClaimName: backupClaimOf(spec),
    backupS3: s3 ? {
      region: s3.region ?? 'us-east-1',
      accessKeyId: ref(s3.accessKeyId, 'kubernetes.backupTarget.accessKeyId'),
      secretAccessKey: ref(s3.secretAccessKey, 'kubernetes.backupTarget.secretAccessKey'),
    } : undefined,
  };

  const serviceAccount = typedKubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', {
    metadata: platform.metadata(n, 'database', scope),
    automountServiceAccountToken: false,
  });
  const files = scriptFiles(ctx);
  const scripts = typedKubeObject(k8s.KubeConfigMap, scope, 'Scripts', { metadata: platform.metadata(`${n}-scripts`, 'database', scope), data: files });
  const configServers = renderReplicaSet(ctx, 'ConfigServers', topology.configServers);
  const shards = topology.shards.map((shard, i) => renderReplicaSet(ctx, `Shard${i}`, shard));
  const { routers, routerService, routerDisruptionBudget, selector: routerLabels } = renderRouters(ctx);
  const metricsService = renderMetricsService(ctx);

  const bucketEgress: k8s.NetworkPolicyEgressRule[] = s3 ? [{
    // S3 is public: without an explicit range, the agents may not reach private addresses this way.
    to: [{ ipBlock: s3.egressCidr ? { cidr: s3.egressCidr } : publicInternetIpBlock() }],
    ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(endpointPort(s3.endpoint)) }],
  }] : [];
  const policies = renderNetworkPolicies(ctx, podSelectors(ctx, routerLabels), bucketEgress);
  const init = renderInitJob(ctx, files);
  const backupCronJob = renderBackup(ctx);
  const restoreJob = renderRestore(ctx, files);

  const resources: MongoShardedClusterKubernetesResources = {
    serviceAccount,
    scripts,
    configServers,
    shards,
    routers,
    routerService,
    routerDisruptionBudget,
    metricsService,
    memberNetworkPolicy: policies.memberNetworkPolicy,
    routerNetworkPolicy: policies.routerNetworkPolicy,
    jobNetworkPolicy: policies.jobNetworkPolicy,
    initJob: init.job,
    backupCronJob,
    backupClaimName: ctx.backupClaimName,
    restoreJob,
    tlsDnsNames: tlsDnsNames(topology),
  };
  if (spec.tls) platform.declareOwnedCertificate(scope, ctx.tlsSecretName, resources.tlsDnsNames);
  const caDir = `/etc/mongodb/${n}`;
  return {
    resources,
    endpoint: new Endpoint(platform.serviceHost(n), MONGO_DEFAULTS.port, 'mongodb'),
    adminSecret,
    metricsSource: {
      job: n,
      kind: 'mongo',
      port: MONGO_DEFAULTS.metricsPort,
      path: '/metrics',
      host: platform.serviceHost(`${n}-metrics`),
      selector: instanceLabels(ctx),
      namespace: platform.namespace,
    },
    connectionOptions: spec.tls ? '&tls=true' : '',
    allowFrom: peer => policies.allowClient(peer),
    allowMetricsFrom: peer => policies.allowMetrics(peer),
    addServiceUser: (user, database, password) => init.addServiceUser({ user, database, password: ref(password, 'connect(credentials)') }),
    prepareService: (service): Record<string, string> => {
      if (!spec.tls) return {};
      // The service verifies the members' certificate against the cluster CA, mounted from the TLS Secret.
      return { [CLIENT_ENV.caFile]: service.addSecretFile(PlatformSecret.named(ctx.tlsSecretName, 'ca.crt'), caDir) };
    },
  };
}

/** Port of an S3 endpoint URL (443 for Amazon S3). */
function endpointPort(endpoint: string | undefined): number {
  if (!endpoint) return 443;
  const match = /^(https?):\/\/[^/:]+(?::(\d+))?/.exec(endpoint);
  if (match?.[2]) return Number(match[2]);
  return match?.[1] === 'http' ? 80 : 443;
}
