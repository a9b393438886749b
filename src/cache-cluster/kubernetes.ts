import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CacheUserSpec } from './access';
import { ACL_USERS_ENV, aclPasswordEnv, cacheUserSecret, renderAclUserLines } from './acl-users';
import { CacheHandle } from './cache-handle';
import { renderClusterMode } from './cluster-mode';
import { renderClusterSetupScript } from './cluster-setup-script';
import { CacheClusterMode } from './engine';
import { PROXY_GATE_FILE, ProxyBackendServer, renderHaproxyConfig } from './haproxy-config';
import { renderBackupObjects } from './kubernetes-backup';
import { renderRedisNodes } from './kubernetes-nodes';
import { Json, CacheTopology, podsPeer, secretEnv, tcpPorts } from './kubernetes-pods';
import { renderProxyGateScript } from './proxy-gate';
import { CLUSTER_BUS_OFFSET, EXPORTER_PORT, renderRedisConf, renderSentinelConf, renderSentinelPrimaryOptions, SENTINEL_PORT } from './redis-config';
import { CacheClusterKubernetesResources } from './resources';
import { renderPrimaryProxy, renderSentinels } from './sentinel';
import { CacheClusterSpec, usesSentinels } from './spec';
import { renderRedisPreStopScript, renderRedisStartScript, renderSentinelStartScript } from './start-scripts';
import { cacheTlsCa, cacheTlsDnsNames } from './tls';
import { Endpoint } from '../platform/endpoint';
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
 * in replication mode Sentinels and an HAProxy primary endpoint, in cluster mode a setup Job; a
 * ConfigMap with every generated file, a ServiceAccount without token, and NetworkPolicies.
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
  const configMap = new ApiObject(scope, 'Config', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: platform.metadata(topology.config, 'cache', scope), data: files,
  });
  const serviceAccount = new ApiObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
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
  const nodePorts = cluster ? [spec.port, spec.port + CLUSTER_BUS_OFFSET] : [spec.port];
  const policy = (id: string, name: string, component: string, selector: Record<string, string>) => {
    const rules = { ingress: [] as Json[], egress: [] as Json[] };
    const object = new ApiObject(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: platform.metadata(name, component, scope),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: rules.ingress, egress: rules.egress },
    });
    return { object, ...rules };
  };

  // Redis nodes talk to each other (replication, cluster bus); Sentinels, the proxy and the setup Job reach them.
  const nodesPolicy = policy('NetworkPolicy', topology.nodes, 'cache', labels.nodes);
  nodesPolicy.ingress.push({ from: [podsPeer(labels.nodes)], ports: tcpPorts(...nodePorts) });
  nodesPolicy.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(...nodePorts) });
  if (sentinels) {
    nodesPolicy.ingress.push({ from: [podsPeer(labels.sentinels)], ports: tcpPorts(spec.port) });
    // The start script asks the Sentinels for the current primary.
    nodesPolicy.egress.push({ to: [podsPeer(labels.sentinels)], ports: tcpPorts(SENTINEL_PORT) });
  }
  if (proxy) nodesPolicy.ingress.push({ from: [podsPeer(labels.proxy)], ports: tcpPorts(spec.port) });
  if (cluster) nodesPolicy.ingress.push({ from: [podsPeer(labels.setup)], ports: tcpPorts(spec.port) });

  const sentinelPolicy = sentinels ? policy('SentinelNetworkPolicy', topology.sentinels, 'sentinel', labels.sentinels) : undefined;
  if (sentinelPolicy) {
    sentinelPolicy.ingress.push({ from: [podsPeer(labels.sentinels), podsPeer(labels.nodes)], ports: tcpPorts(SENTINEL_PORT) });
    sentinelPolicy.egress.push(
      { to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) },
      { to: [podsPeer(labels.sentinels)], ports: tcpPorts(SENTINEL_PORT) },
    );
  }
  const proxyPolicy = proxy ? policy('ProxyNetworkPolicy', topology.proxy, 'proxy', labels.proxy) : undefined;
  proxyPolicy?.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) });
  const setupPolicy = cluster ? policy('SetupNetworkPolicy', topology.setup, 'cluster-setup', labels.setup) : undefined;
  setupPolicy?.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) });

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

/** Every generated file, mounted read-only at /etc/cache. */
function configFiles(topology: CacheTopology): Record<string, string> {
  const { spec } = topology;
  const files: Record<string, string> = {
    'redis.conf': renderRedisConf(spec),
    'start-redis.sh': renderRedisStartScript(spec),
  };
  if (usesSentinels(spec)) {
    files['sentinel.conf'] = renderSentinelConf(spec);
    files['sentinel-primary.conf'] = renderSentinelPrimaryOptions(spec);
    files['start-sentinel.sh'] = renderSentinelStartScript(spec);
    files['prestop-redis.sh'] = renderRedisPreStopScript(spec);
  }
  if (spec.mode === CacheClusterMode.CLUSTER) {
    files['cluster-setup.sh'] = renderClusterSetupScript(spec);
  } else {
    const servers: ProxyBackendServer[] = topology.redisNodes().map((address, i) => ({ name: `${topology.nodes}-${i}`, address }));
    files['haproxy.cfg'] = renderHaproxyConfig(spec, servers);
    files[PROXY_GATE_FILE] = renderProxyGateScript(spec);
  }
  return files;
}
