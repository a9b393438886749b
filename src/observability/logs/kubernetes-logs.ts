import { createHash } from 'crypto';
import { RemovalPolicy } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { toYaml } from '../alerting/alertmanager-config';
import { admit, Component, internetEgress, renderComponent } from '../kubernetes-component';
import { logExport, LogExport, logExportSecrets, lokiReplicaEndpoints } from './log-export';
import { LOKI_DATA_DIR, LOKI_GRPC_PORT, LOKI_HTTP_PORT, lokiConfig } from './loki-config';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { claimRetentionPolicy, dataVolumeClaimTemplate } from '../../platform/kubernetes-pod';
import { NetworkPeer } from '../../platform/network';
import { ObservabilitySpec } from '../spec';

const LOKI_USER = 10001;
export const LOKI_NAME = 'loki';

/** Per replica, by profile: the production replica holds 50 GiB of logs and answers searches over days. */
const LOKI_RESOURCES = { production: { cpu: '500m', memory: '2Gi' }, development: { cpu: '100m', memory: '512Mi' } };

export interface LogStoreObjects {
  readonly loki: Component;
  readonly config: k8s.KubeConfigMap;
}

/**
 * Renders the in-cluster log store: Loki replicas as a StatefulSet, each a complete store on its
 * own retained volume (the collector writes every record to each), restricted pods spread over
 * zones and nodes, a PodDisruptionBudget, and a NetworkPolicy that `admit` opens to the collector
 * (writes), Grafana (reads) and Prometheus (metrics) only.
 */
export function renderLogStore(scope: Construct, platform: KubernetesPlatform, spec: ObservabilitySpec, development: boolean): LogStoreObjects {
  const lokiScope = new Construct(scope, 'Loki');
  const k = spec.kubernetes;
  const yaml = toYaml(lokiConfig({ retentionDays: k.logRetentionDays }));
  const config = typedKubeObject(k8s.KubeConfigMap, lokiScope, 'Config', {
    metadata: platform.metadata(LOKI_NAME, 'observability', lokiScope),
    data: { 'loki.yaml': yaml },
  });
  const template = dataVolumeClaimTemplate(platform.labelsFor(LOKI_NAME, 'observability', lokiScope), platform.storageClassName, k.logStorageGiB * 1024);
  // The typed StatefulSet serializes quantities, not strings.
  const storage = k8s.Quantity.fromString(template.spec.resources.requests.storage);
  const size = development ? LOKI_RESOURCES.development : LOKI_RESOURCES.production;
  const loki = renderComponent(lokiScope, platform, {
    name: LOKI_NAME,
    replicas: k.logStoreReplicas,
    user: LOKI_USER,
    image: k.images.loki,
    args: ['-config.file=/etc/loki/loki.yaml', '-target=all'],
    ports: [{ name: 'http', port: LOKI_HTTP_PORT }, { name: 'grpc', port: LOKI_GRPC_PORT, exposed: false }],
    // /ready waits for the ingester to join its ring; liveness only asks whether the server answers,
    // so a long write-ahead-log replay after a crash is not killed.
    readiness: { path: '/ready', port: 'http' },
    liveness: { path: '/loki/api/v1/status/buildinfo', port: 'http' },
    cpu: size.cpu,
    memory: size.memory,
    // Each replica is a full copy: two on one node would fall together.
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: platform.selectorLabels(LOKI_NAME, lokiScope) } },
        }],
      },
    },
    volumes: [{ name: 'config', configMap: { name: LOKI_NAME } }],
    mounts: [{ name: 'config', mountPath: '/etc/loki', readOnly: true }],
    dataVolume: {
      template: { ...template, spec: { ...template.spec, resources: { requests: { storage } } } },
      // Logs outlive the StatefulSet: deleting it or scaling it down keeps every volume.
      retention: claimRetentionPolicy(RemovalPolicy.RETAIN),
      mountPath: LOKI_DATA_DIR,
    },
    podAnnotations: { 'observability.platform/config-checksum': createHash('sha256').update(yaml).digest('hex').slice(0, 16) },
  });
  return { loki, config };
}

/** What the collector exports logs with, for the stack's destination. */
export function collectorLogExport(platform: KubernetesPlatform, spec: ObservabilitySpec): LogExport {
  return logExport(spec.logs, lokiReplicaEndpoints(spec.kubernetes.logStoreReplicas, platform.serviceHost(`${LOKI_NAME}-headless`)));
}

/** The collector's environment: each credential of the destination from its Secret, never a value. */
export function collectorLogEnv(spec: ObservabilitySpec): k8s.EnvVar[] | undefined {
  const secrets = logExportSecrets(spec.logs);
  return secrets.length === 0 ? undefined : secrets.map(({ variable, secret }) => ({
    name: variable, valueFrom: { secretKeyRef: { name: secret.secretName!, key: secret.key! } },
  }));
}

/** Opens the collector's egress to a store outside the cluster (its URL's port). */
export function allowExternalLogStore(collector: Component, spec: ObservabilitySpec): void {
  if (spec.logs.url === undefined) return;
  const url = new URL(spec.logs.url);
  internetEgress(collector, [url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80]);
}

/**
 * Admits Loki's only clients, on its HTTP port: the collector (writes), Grafana (reads) and
 * Prometheus (metrics). Peers rather than components, so a Prometheus or Grafana the stack does
 * not run can be admitted the same way.
 */
export function connectLogStore(store: Component, clients: readonly NetworkPeer[], namespace: string, scope: Construct): void {
  for (const peer of clients) admit(store, peer, [LOKI_HTTP_PORT], namespace, scope);
}
