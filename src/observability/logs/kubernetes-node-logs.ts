import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { clusterScoped } from '../../platform/cluster-scoped';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { NetworkPeer } from '../../platform/network';
import { toYaml } from '../alerting/alertmanager-config';
import { admit, Component } from '../kubernetes-component';
import { NodeLogCollectionObjects } from '../resources';
import { ObservabilitySpec } from '../spec';
import { COLLECTOR_HEALTH_PORT, OTLP_GRPC_PORT } from '../tracing/otel-collector-config';

const NAME = 'node-log-collector';
const POD_LOGS = '/var/log/pods';

/** Collector configuration of the node-level DaemonSet (pure): container log files → the platform collector. */
export function nodeLogCollectorConfig(ownNamespace: string, collectorEndpoint: string): Record<string, unknown> {
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${COLLECTOR_HEALTH_PORT}` } },
    receivers: {
      filelog: {
        include: [`${POD_LOGS}/*/*/*.log`],
        // Its own output would loop through the pipeline.
        exclude: [`${POD_LOGS}/${ownNamespace}_*/*/*.log`],
        start_at: 'end',
        include_file_path: true,
        operators: [{ type: 'container' }],
      },
    },
    processors: { batch: {} },
    exporters: { otlp: { endpoint: collectorEndpoint, tls: { insecure: true } } },
    service: { extensions: ['health_check'], pipelines: { logs: { receivers: ['filelog'], processors: ['batch'], exporters: ['otlp'] } } },
  };
}

/**
 * Opt-in node-level log collection: a collector DaemonSet reading `/var/log/pods` from each node.
 * A `hostPath` volume and root (the files are root-owned) are forbidden by Pod Security
 * "baseline" and "restricted", so the DaemonSet gets its own namespace at level `privileged`;
 * it still drops every capability, forbids privilege escalation and mounts the host read-only.
 */
export function renderNodeLogCollection(
  scope: Construct, platform: KubernetesPlatform, spec: ObservabilitySpec, namespace: string, collector: Component,
): NodeLogCollectionObjects {
  const nodeScope = new Construct(scope, 'NodeLogs');
  const labels = { ...platform.labelsFor(NAME, 'observability', nodeScope) };
  const selector = platform.selectorLabels(NAME, nodeScope);
  const metadata = { name: NAME, namespace, labels };
  const namespaceObject = clusterScoped(typedKubeObject(k8s.KubeNamespace, nodeScope, 'Namespace', {
    metadata: { name: namespace, labels: { ...platform.commonLabels(), ...platform.ownerLabels(nodeScope), 'pod-security.kubernetes.io/enforce': 'privileged' } },
  }));
  const configMap = typedKubeObject(k8s.KubeConfigMap, nodeScope, 'Config', {
    metadata,
    data: { 'collector.yaml': toYaml(nodeLogCollectorConfig(namespace, `${platform.serviceHost('otel-collector')}:${OTLP_GRPC_PORT}`)) },
  });
  const serviceAccount = typedKubeObject(k8s.KubeServiceAccount, nodeScope, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
  const defaultDeny = typedKubeObject(k8s.KubeNetworkPolicy, nodeScope, 'DefaultDeny', {
    metadata: { name: 'default-deny-all', namespace, labels: { ...platform.commonLabels(), ...platform.ownerLabels(nodeScope) } },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const networkPolicy = typedKubeObject(k8s.KubeNetworkPolicy, nodeScope, 'NetworkPolicy', {
    metadata,
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: ['UDP', 'TCP'].map(protocol => ({ protocol, port: k8s.IntOrString.fromNumber(53) })),
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': platform.namespace } }, podSelector: { matchLabels: collector.selector } }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(OTLP_GRPC_PORT) }],
        },
      ],
    },
  });
  const daemonSet = typedKubeObject(k8s.KubeDaemonSet, nodeScope, 'DaemonSet', {
    metadata,
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          tolerations: [{ operator: 'Exists' }],
          securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'collector',
            image: spec.kubernetes.images.otelCollector,
            args: ['--config=/conf/collector.yaml'],
            ports: [{ name: 'health', containerPort: COLLECTOR_HEALTH_PORT, protocol: 'TCP' }],
            resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') }, limits: { memory: k8s.Quantity.fromString('256Mi') } },
            securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('health') }, periodSeconds: 10 },
            livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('health') }, periodSeconds: 15, initialDelaySeconds: 30 },
            volumeMounts: [
              { name: 'config', mountPath: '/conf', readOnly: true },
              { name: 'pod-logs', mountPath: POD_LOGS, readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          }],
          volumes: [
            { name: 'config', configMap: { name: NAME } },
            { name: 'pod-logs', hostPath: { path: POD_LOGS, type: 'Directory' } },
            { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
          ],
        },
      },
    },
  });
  for (const o of [configMap, serviceAccount, defaultDeny, networkPolicy, daemonSet] as ApiObject[]) o.node.addDependency(namespaceObject);
  admit(collector, NetworkPeer.fromPodLabels(selector, namespace), [OTLP_GRPC_PORT], platform.namespace, scope);
  return { namespace: namespaceObject, daemonSet, configMap, serviceAccount, networkPolicy, defaultDenyPolicy: defaultDeny };
}
