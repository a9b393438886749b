import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PROXY_GATE_FILE, PROXY_HEALTH_PORT, ProxyBackendServer, renderHaproxyConfig } from './haproxy-config';
import {
  CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, Json, podBase, podsPeer, PolicyFactory, PolicyRules, resources, secretEnv,
  tcpPorts, tlsMounts, tlsVolumes,
} from './kubernetes-pods';
import { renderProxyGateScript } from './proxy-gate';
import { CacheClusterSpec } from './spec';
import { kubeObject } from '../platform/kube-object';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

/*
 * Replication mode: one stable endpoint for clients that do not speak Sentinel, always on the
 * current primary. On AWS the replication group's primary endpoint does the same.
 */

/** A lone proxy, which the development profile allows: clients lose the primary endpoint while it restarts. */
export function primaryProxyWarnings(spec: CacheClusterSpec): ProfileWarning[] {
  return spec.kubernetes.proxyReplicas === 1 ? [reducedAvailabilityWarning('cache-cluster', 'kubernetes.proxyReplicas', 1,
    'clients lose the primary endpoint while the only proxy restarts', 'at least 2')] : [];
}

/** The proxy's files in the cache's ConfigMap: the HAProxy configuration over every node, and the gate script. */
export function primaryProxyFiles(topology: CacheTopology): Record<string, string> {
  const { spec } = topology;
  const servers: ProxyBackendServer[] = topology.redisNodes().map((address, i) => ({ name: `${topology.nodes}-${i}`, address }));
  return {
    'haproxy.cfg': renderHaproxyConfig(spec, servers),
    [PROXY_GATE_FILE]: renderProxyGateScript(spec),
  };
}

/** The primary proxy: Deployment, client Service, PodDisruptionBudget. */
export interface ProxyObjects {
  readonly deployment: k8s.KubeDeployment;
  readonly service: k8s.KubeService;
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
}

/**
 * HAProxy in front of the Redis nodes: the stable `<name>` Service always reaches the current
 * primary, for clients that do not speak Sentinel. It needs no Kubernetes API access at all.
 */
export function renderPrimaryProxy(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, configChecksum: string,
): ProxyObjects {
  const { spec, platform } = topology;
  const selector = platform.selectorLabels(topology.proxy, scope);
  const metadata = platform.metadata(topology.proxy, 'proxy', scope);
  const health = (path: string, periodSeconds: number): Json => ({
    httpGet: { path, port: 'health' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3,
  });
  const deployment = kubeObject(k8s.KubeDeployment, scope, 'ProxyDeployment', {
    metadata,
    spec: {
      replicas: spec.kubernetes.proxyReplicas,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: platform.labelsFor(topology.proxy, 'proxy', scope), annotations: { 'cache.platform/config-checksum': configChecksum } },
        spec: {
          ...podBase(topology, selector),
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'haproxy',
            image: spec.kubernetes.proxyImage,
            imagePullPolicy: 'IfNotPresent',
            command: ['haproxy', '-W', '-db', '-f', `${CONFIG_DIR}/haproxy.cfg`],
            env: [secretEnv('REDIS_PASSWORD', password)],
            ports: [
              { name: 'redis', containerPort: spec.port, protocol: 'TCP' },
              { name: 'health', containerPort: PROXY_HEALTH_PORT, protocol: 'TCP' },
            ],
            resources: resources(100, 128),
            securityContext: restrictedContainerSecurityContext(),
            // Ready only while a primary is known: during a failover the Service sheds this proxy.
            readinessProbe: health('/ready', 2),
            livenessProbe: health('/healthz', 10),
            volumeMounts: [...COMMON_MOUNTS.filter(m => m.name !== 'run'), ...tlsMounts(spec)],
          }],
          // The proxy passes TLS through: it needs the CA for its checks, never the private key.
          volumes: [...commonVolumes(topology).filter(v => v.name !== 'run'), ...tlsVolumes(spec, true)],
        },
      },
    },
  });
  const service = kubeObject(k8s.KubeService, scope, 'Service', {
    metadata: platform.metadata(spec.name, 'proxy', scope),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'redis', port: spec.port, targetPort: 'redis', protocol: 'TCP' }],
    },
  });
  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'ProxyDisruptionBudget', {
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
  return { deployment, service, disruptionBudget };
}

/** The proxy's NetworkPolicy: it reaches the nodes' data port, which admit it. */
export function primaryProxyNetworkPolicy(topology: CacheTopology, nodes: PolicyRules,
  labels: { nodes: Record<string, string>; proxy: Record<string, string> }, policy: PolicyFactory): PolicyRules {
  const { spec } = topology;
  nodes.ingress.push({ from: [podsPeer(labels.proxy)], ports: tcpPorts(spec.port) });
  const proxy = policy('ProxyNetworkPolicy', topology.proxy, 'proxy', labels.proxy);
  proxy.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) });
  return proxy;
}
