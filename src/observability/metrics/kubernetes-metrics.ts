import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { PlatformSecret } from '../../platform/secret';
import { podsIn } from '../../platform/workload-peer';
import { alertmanagerConfig, toYaml } from '../alerting/alertmanager-config';
import { admit, Component, internetEgress, renderComponent } from '../kubernetes-component';
import { ObservabilitySpec } from '../spec';

export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
const MESH_PORT = 9094;
const NOBODY = 65534;
const RULES_DIR = '/etc/prometheus/rules';
const SECRETS_DIR = '/etc/alertmanager/secrets';

/** A value computed at synthesis (after discovery). */
export const lazy = (produce: () => unknown): any => Lazy.any({ produce });
/** A checksum of content computed at synthesis: changed configuration rolls the pods. */
export const lazyChecksum = (...produce: Array<() => string>): any =>
  lazy(() => createHash('sha256').update(produce.map(p => p()).join('\n---\n')).digest('hex').slice(0, 16));

export interface MetricsPipeline {
  readonly prometheus: Component;
  readonly prometheusConfig: k8s.KubeConfigMap;
  readonly prometheusRules: k8s.KubeConfigMap;
  readonly alertmanager: Component;
  readonly alertmanagerConfig: k8s.KubeConfigMap;
}

/** Renders Prometheus (HA pair, volume per replica) and clustered Alertmanager. */
export function renderMetricsPipeline(
  scope: Construct, platform: KubernetesPlatform, spec: ObservabilitySpec, content: { prometheusYaml: () => string; rulesYaml: () => string },
): MetricsPipeline {
  const k = spec.kubernetes;
  const promScope = new Construct(scope, 'Prometheus');
  const prometheusConfig = typedKubeObject(k8s.KubeConfigMap, promScope, 'Config', {
    metadata: platform.metadata('prometheus', 'observability', promScope),
    data: { 'prometheus.yml': lazy(content.prometheusYaml) },
  });
  const prometheusRules = typedKubeObject(k8s.KubeConfigMap, promScope, 'Rules', {
    metadata: platform.metadata('prometheus-rules', 'observability', promScope),
    data: { 'platform.yml': lazy(content.rulesYaml) },
  });
  const prometheus = renderComponent(promScope, platform, {
    name: 'prometheus',
    replicas: k.prometheusReplicas,
    user: NOBODY,
    image: k.images.prometheus,
    args: [
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      `--storage.tsdb.retention.time=${spec.retention}`,
      `--storage.tsdb.retention.size=${k.retentionSize}`,
      `--web.listen-address=:${PROMETHEUS_PORT}`,
    ],
    ports: [{ name: 'web', port: PROMETHEUS_PORT }],
    readiness: { path: '/-/ready', port: 'web' },
    liveness: { path: '/-/healthy', port: 'web' },
    cpu: '500m',
    memory: '2Gi',
    claim: { name: 'data', sizeGiB: k.prometheusStorageGiB, mountPath: '/prometheus' },
    volumes: [
      { name: 'config', configMap: { name: 'prometheus' } },
      { name: 'rules', configMap: { name: 'prometheus-rules' } },
    ],
    mounts: [{ name: 'config', mountPath: '/etc/prometheus', readOnly: true }, { name: 'rules', mountPath: RULES_DIR, readOnly: true }],
    podAnnotations: { 'observability.platform/config-checksum': lazyChecksum(content.prometheusYaml, content.rulesYaml) },
  });

  const amScope = new Construct(scope, 'Alertmanager');
  const secrets = uniqueSecrets(spec);
  const secretFile = (s: PlatformSecret) => `${SECRETS_DIR}/${s.secretName}/${s.key}`;
  const amYaml = toYaml(alertmanagerConfig(spec.receivers, secretFile));
  const alertmanagerConfigMap = typedKubeObject(k8s.KubeConfigMap, amScope, 'Config', {
    metadata: platform.metadata('alertmanager', 'observability', amScope),
    data: { 'alertmanager.yml': amYaml },
  });
  const replicas = k.alertmanagerReplicas;
  const peers = Array.from({ length: replicas }, (_, i) =>
    `--cluster.peer=alertmanager-${i}.alertmanager-headless.${platform.namespace}.svc.cluster.local:${MESH_PORT}`);
  const alertmanager = renderComponent(amScope, platform, {
    name: 'alertmanager',
    replicas,
    user: NOBODY,
    image: k.images.alertmanager,
    stateful: true,
    args: [
      '--config.file=/etc/alertmanager/alertmanager.yml',
      '--storage.path=/alertmanager',
      `--web.listen-address=:${ALERTMANAGER_PORT}`,
      ...(replicas > 1 ? [`--cluster.listen-address=0.0.0.0:${MESH_PORT}`, `--cluster.advertise-address=$(POD_IP):${MESH_PORT}`, ...peers]
        : ['--cluster.listen-address=']),
    ],
    env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
    ports: [
      { name: 'web', port: ALERTMANAGER_PORT },
      { name: 'mesh-tcp', port: MESH_PORT, exposed: false },
      { name: 'mesh-udp', port: MESH_PORT, protocol: 'UDP' },
    ],
    readiness: { path: '/-/ready', port: 'web' },
    liveness: { path: '/-/healthy', port: 'web' },
    cpu: '100m',
    memory: '256Mi',
    volumes: [
      { name: 'config', configMap: { name: 'alertmanager' } },
      { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
      ...secrets.map(name => ({ name: `secret-${name}`, secret: { secretName: name } })),
    ],
    mounts: [
      { name: 'config', mountPath: '/etc/alertmanager', readOnly: true },
      { name: 'data', mountPath: '/alertmanager' },
      ...secrets.map(name => ({ name: `secret-${name}`, mountPath: `${SECRETS_DIR}/${name}`, readOnly: true })),
    ],
    podAnnotations: { 'observability.platform/config-checksum': createHash('sha256').update(amYaml).digest('hex').slice(0, 16) },
  });

  admit(alertmanager, prometheus.peer, [ALERTMANAGER_PORT], platform.namespace, scope);
  if (replicas > 1) clusterMesh(alertmanager, platform.namespace);
  internetEgress(alertmanager, receiverPorts(spec));
  return { prometheus, prometheusConfig, prometheusRules, alertmanager, alertmanagerConfig: alertmanagerConfigMap };
}

/** Alertmanager replicas gossip silences and notification state on 9094 (TCP and UDP). */
function clusterMesh(alertmanager: Component, namespace: string): void {
  const self = podsIn(alertmanager.selector, namespace);
  const ports = (['TCP', 'UDP'] as const).map(protocol => ({ protocol, port: k8s.IntOrString.fromNumber(MESH_PORT) }));
  alertmanager.ingress.push({ from: [self], ports });
  alertmanager.egress.push({ to: [self], ports });
}

/** Names of the Secrets receivers read, each mounted once. */
function uniqueSecrets(spec: ObservabilitySpec): string[] {
  const refs = spec.receivers.flatMap(r => [r.slackOptions?.apiUrlSecret, r.emailOptions?.passwordSecret]);
  return [...new Set(refs.flatMap(s => s?.secretName ? [s.secretName] : []))];
}

/** TCP ports Alertmanager must reach outside the cluster to deliver notifications. */
function receiverPorts(spec: ObservabilitySpec): number[] {
  return spec.receivers.flatMap(r => {
    if (r.receiverType === 'slack') return [443];
    if (r.receiverType === 'email') return [Number(r.emailOptions?.smarthost?.split(':').pop() ?? 587)];
    if (r.receiverType === 'webhook' && r.url) {
      const url = new URL(r.url);
      return [url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80];
    }
    return [];
  });
}
