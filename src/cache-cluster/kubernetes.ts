import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CacheUserSpec } from './access';
import { ACL_USERS_ENV, aclPasswordEnv, cacheUserSecret, renderAclUserLines } from './acl-users';
import { CacheHandle } from './cache-handle';
import { clusterModeFiles, clusterSetupNetworkPolicy, nodePeerPorts, renderClusterMode } from './cluster-mode';
import { CacheClusterMode } from './engine';
import { renderBackupObjects } from './kubernetes-backup';
import { renderRedisNodes } from './kubernetes-nodes';
import { CacheTopology, Json, PolicyRules, podsPeer, secretEnv, tcpPorts } from './kubernetes-pods';
import { primaryProxyFiles, primaryProxyNetworkPolicy, renderPrimaryProxy } from './primary-proxy';
import { EXPORTER_PORT, renderRedisConf, SENTINEL_PORT } from './redis-config';
import { CacheClusterKubernetesResources } from './resources';
import { renderSentinels, sentinelFiles, sentinelNetworkPolicy } from './sentinel';
import { CacheClusterSpec, usesSentinels } from './spec';
import { renderRedisStartScript } from './start-scripts';
import { cacheTlsCa, cacheTlsDnsNames } from './tls';
import { Endpoint } from '../platform/endpoint';
import { kubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { NetworkPeer } from '../platform/network';
import { CredentialFormat } from '../platform/owned-credentials';
import { PlatformSecret } from '../platform/secret';

/** Default Secret holding the AUTH password; the user or External Secrets creates it. */
export function defaultKubernetesAuth(spec: CacheClusterSpec): PlatformSecret {
  return PlatformSecret.named(`${spec.name}-auth`, 'password');
}

/**
 * Renders the cache as plain manifests, no operator: Redis StatefulSet with PVCs and redis_exporter;
 * in replication mode Sentinels (`sentinel.ts`) and an HAProxy primary endpoint (`primary-proxy.ts`),
 * in cluster mode a setup Job (`cluster-mode.ts`); a ConfigMap with every generated file, a
 * ServiceAccount without token, and NetworkPolicies. Each topology concept renders its own objects
 * and rules; this function picks the concepts the mode needs and wires them to the nodes.
 */
export function renderCacheClusterOnKubernetes(scope: Construct, spec: CacheClusterSpec): CacheHandle<CacheClusterKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const topology = new CacheTopology(spec, platform);
  const auth = spec.auth ?? defaultKubernetesAuth(spec);
  if (!spec.auth) platform.declareOwnedCredential(scope, auth, CredentialFormat.PASSWORD);
  const password = auth._toSecretKeyRef(scope, 'auth');
  const cluster = spec.mode === CacheClusterMode.CLUSTER;
  const sentinels = usesSentinels(spec);

  const files = configFiles(topology);
  const configChecksum = createHash('sha256').update(JSON.stringify(files)).digest('hex');
  const configMap = kubeObject(k8s.KubeConfigMap, scope, 'Config', {
    metadata: platform.metadata(topology.config, 'cache', scope), data: files,
  });
  const serviceAccount = kubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', {
    metadata: platform.metadata(spec.name, 'cache', scope),
    automountServiceAccountToken: false,
  });

  const nodes = renderRedisNodes(scope, topology, password, configChecksum);
  /** Users of connected services; rendered into the nodes' environment at synthesis. */
  const users = new Map<string, CacheUserSpec>();
  const sentinelObjects = sentinels ? renderSentinels(scope, topology, password, configChecksum) : undefined;
  const proxy = cluster ? undefined : renderPrimaryProxy(scope, topology, password, configChecksum);
  const clusterObjects = cluster ? renderClusterMode(scope, topology, password, files['cluster-setup.sh']) : undefined;

  const labels = {
    nodes: platform.selectorLabels(topology.nodes, scope),
    sentinels: platform.selectorLabels(topology.sentinels, scope),
    proxy: platform.selectorLabels(topology.proxy, scope),
    setup: platform.selectorLabels(topology.setup, scope),
  };
  const nodePorts = nodePeerPorts(spec);
  const policy = (id: string, name: string, component: string, selector: Record<string, string>): PolicyRules => {
    const rules = { ingress: [] as Json[], egress: [] as Json[] };
    const object = kubeObject(k8s.KubeNetworkPolicy, scope, id, {
      metadata: platform.metadata(name, component, scope),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: rules.ingress, egress: rules.egress },
    });
    return { object, ...rules };
  };

  // Redis nodes talk to each other (replication, cluster bus); Sentinels, the proxy and the setup Job reach them.
  const nodesPolicy = policy('NetworkPolicy', topology.nodes, 'cache', labels.nodes);
  nodesPolicy.ingress.push({ from: [podsPeer(labels.nodes)], ports: tcpPorts(...nodePorts) });
  nodesPolicy.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(...nodePorts) });
  // Each concept adds its side to the nodes' rules, then its own policy.
  const sentinelPolicy = sentinels ? sentinelNetworkPolicy(topology, nodesPolicy, labels, policy) : undefined;
  const proxyPolicy = proxy ? primaryProxyNetworkPolicy(topology, nodesPolicy, labels, policy) : undefined;
  const setupPolicy = cluster ? clusterSetupNetworkPolicy(topology, nodesPolicy, labels, policy) : undefined;

  const backup = renderBackupObjects(scope, topology, password, nodesPolicy.ingress);

  const resources: CacheClusterKubernetesResources = {
    statefulSet: nodes.statefulSet,
    headlessService: nodes.headlessService,
    service: proxy?.service ?? clusterObjects!.service,
    configMap,
    serviceAccount,
    disruptionBudget: nodes.disruptionBudget,
    networkPolicy: nodesPolicy.object,
    sentinelStatefulSet: sentinelObjects?.statefulSet,
    sentinelService: sentinelObjects?.service,
    sentinelDisruptionBudget: sentinelObjects?.disruptionBudget,
    sentinelNetworkPolicy: sentinelPolicy?.object,
    proxyDeployment: proxy?.deployment,
    proxyDisruptionBudget: proxy?.disruptionBudget,
    proxyNetworkPolicy: proxyPolicy?.object,
    setupJob: clusterObjects?.setupJob,
    setupNetworkPolicy: setupPolicy?.object,
    backupCronJob: backup?.cronJob,
    backupStore: backup?.store,
    backupStoreNetworkPolicy: backup?.storeNetworkPolicy,
    backupScripts: backup?.configMap,
    backupNetworkPolicy: backup?.networkPolicy,
    restoreJob: backup?.restoreJob,
    tlsSecretName: spec.kubernetes.tls ? spec.kubernetes.tlsSecretName : undefined,
    tlsDnsNames: spec.kubernetes.tls ? cacheTlsDnsNames(topology) : [],
  };
  // The nodes' certificate, for a certificate provisioner (cert-manager) to issue.
  if (resources.tlsSecretName) platform.declareOwnedCertificate(scope, resources.tlsSecretName, resources.tlsDnsNames);

  const scheme = spec.kubernetes.tls ? 'rediss' : 'redis';
  const admit = (target: { ingress: Json[] }, selector: Record<string, string>, peer: NetworkPeer, ports: number[]) => {
    target.ingress.push({ from: [peer._kubernetesPeer(scope, platform.namespace)], ports: tcpPorts(...ports) });
    for (const port of ports) peer._grantEgress({ podLabels: selector, namespace: platform.namespace, port });
  };
  return {
    resources,
    endpoint: new Endpoint(platform.serviceHost(spec.name), spec.port, scheme),
    password: auth,
    tls: spec.kubernetes.tls,
    tlsCa: spec.kubernetes.tls ? cacheTlsCa(spec) : undefined,
    sentinelEndpoint: sentinels ? new Endpoint(platform.serviceHost(topology.sentinels), SENTINEL_PORT, scheme) : undefined,
    metricsSource: {
      job: spec.name,
      kind: 'cache',
      port: EXPORTER_PORT,
      path: '/metrics',
      host: platform.serviceHost(topology.nodesService),
      selector: labels.nodes,
      namespace: platform.namespace,
    },
    allowFrom: peer => {
      // Cluster clients and Sentinel-aware clients reach the nodes directly; the metrics port is for scrapers.
      admit(nodesPolicy, labels.nodes, peer, [spec.port]);
      if (proxyPolicy) admit(proxyPolicy, labels.proxy, peer, [spec.port]);
      if (sentinelPolicy) admit(sentinelPolicy, labels.sentinels, peer, [SENTINEL_PORT]);
    },
    // A scraper reads the exporters and nothing else: no data, no Sentinel commands.
    allowMetricsFrom: peer => admit(nodesPolicy, labels.nodes, peer, [EXPORTER_PORT]),
    addUser: user => {
      const secret = cacheUserSecret(spec, user.userName);
      if (users.size === 0) {
        nodes.redisEnv.push({ name: ACL_USERS_ENV, value: Lazy.any({ produce: () => renderAclUserLines([...users.values()], cluster) }) });
      }
      if (!users.has(user.userName)) {
        users.set(user.userName, user);
        platform.declareOwnedCredential(scope, secret, CredentialFormat.PASSWORD);
        // In the pod template: a new user, or new rules, roll the nodes so every one loads them.
        nodes.redisEnv.push(secretEnv(aclPasswordEnv(user.userName), secret._toSecretKeyRef(scope, 'connect')));
      }
      return secret;
    },
  };
}

/** Every generated file, mounted read-only at /etc/cache: the nodes', then each topology concept's. */
function configFiles(topology: CacheTopology): Record<string, string> {
  const { spec } = topology;
  return {
    'redis.conf': renderRedisConf(spec),
    'start-redis.sh': renderRedisStartScript(spec),
    ...usesSentinels(spec) ? sentinelFiles(spec) : {},
    ...spec.mode === CacheClusterMode.CLUSTER ? clusterModeFiles(spec) : primaryProxyFiles(topology),
  };
}
