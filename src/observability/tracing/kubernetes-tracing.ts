import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { typedKubeObject } from '../../platform/kube-object';
import { toYaml } from '../alerting/alertmanager-config';
import { admit, Component, renderComponent } from '../kubernetes-component';
import {
  COLLECTOR_HEALTH_PORT, COLLECTOR_METRICS_PORT, kubernetesCollectorConfig, OTLP_GRPC_PORT, OTLP_HTTP_PORT,
} from './otel-collector-config';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { allowExternalLogStore, collectorLogEnv, collectorLogExport } from '../logs/kubernetes-logs';
import { ObservabilitySpec } from '../spec';

export const JAEGER_QUERY_PORT = 16686;
export const JAEGER_ADMIN_PORT = 14269;
const COLLECTOR_USER = 10001;
const JAEGER_USER = 10001;

export interface TracingPipeline {
  readonly collector: Component;
  readonly collectorConfig: k8s.KubeConfigMap;
  readonly jaeger: Component;
}

/**
 * Renders the OpenTelemetry Collector (OTLP in: traces to Jaeger, metrics re-exposed for
 * Prometheus, logs to the log store) and Jaeger with Badger storage on a volume.
 */
export function renderTracingPipeline(scope: Construct, platform: KubernetesPlatform, spec: ObservabilitySpec): TracingPipeline {
  const k = spec.kubernetes;
  const jaeger = renderComponent(new Construct(scope, 'Jaeger'), platform, {
    name: 'jaeger',
    replicas: 1,
    user: JAEGER_USER,
    image: k.images.jaeger,
    env: [
      { name: 'SPAN_STORAGE_TYPE', value: 'badger' },
      { name: 'BADGER_EPHEMERAL', value: 'false' },
      { name: 'BADGER_DIRECTORY_KEY', value: '/badger/key' },
      { name: 'BADGER_DIRECTORY_VALUE', value: '/badger/data' },
      { name: 'BADGER_SPAN_STORE_TTL', value: `${k.traceRetentionHours}h` },
      { name: 'COLLECTOR_OTLP_ENABLED', value: 'true' },
    ],
    ports: [
      { name: 'query', port: JAEGER_QUERY_PORT },
      { name: 'otlp-grpc', port: OTLP_GRPC_PORT },
      { name: 'admin', port: JAEGER_ADMIN_PORT },
    ],
    readiness: { path: '/', port: 'admin' },
    liveness: { path: '/', port: 'admin' },
    cpu: '200m',
    memory: '1Gi',
    claim: { name: 'data', sizeGiB: k.traceStorageGiB, mountPath: '/badger' },
  });

  const collectorScope = new Construct(scope, 'Collector');
  const collectorYaml = toYaml(kubernetesCollectorConfig({
    jaegerEndpoint: `${platform.serviceHost('jaeger')}:${OTLP_GRPC_PORT}`,
    logs: collectorLogExport(platform, spec),
  }));
  const collectorConfig = typedKubeObject(k8s.KubeConfigMap, collectorScope, 'Config', {
    metadata: platform.metadata('otel-collector', 'observability', collectorScope),
    data: { 'collector.yaml': collectorYaml },
  });
  const collector = renderComponent(collectorScope, platform, {
    name: 'otel-collector',
    replicas: 2,
    user: COLLECTOR_USER,
    image: k.images.otelCollector,
    headless: true,
    args: ['--config=/conf/collector.yaml'],
    env: collectorLogEnv(spec),
    ports: [
      { name: 'otlp-grpc', port: OTLP_GRPC_PORT },
      { name: 'otlp-http', port: OTLP_HTTP_PORT },
      { name: 'metrics', port: COLLECTOR_METRICS_PORT },
      { name: 'health', port: COLLECTOR_HEALTH_PORT },
    ],
    readiness: { path: '/', port: 'health' },
    liveness: { path: '/', port: 'health' },
    cpu: '200m',
    memory: '512Mi',
    volumes: [{ name: 'config', configMap: { name: 'otel-collector' } }],
    mounts: [{ name: 'config', mountPath: '/conf', readOnly: true }],
    podAnnotations: { 'observability.platform/config-checksum': createHash('sha256').update(collectorYaml).digest('hex').slice(0, 16) },
  });

  admit(jaeger, collector.peer, [OTLP_GRPC_PORT], platform.namespace, scope);
  allowExternalLogStore(collector, spec);
  return { collector, collectorConfig, jaeger };
}
