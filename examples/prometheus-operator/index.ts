import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CacheCluster } from '../../src/cache-cluster';
import { MetricsBackend, ObservabilityAwsOptions, ObservabilityStack } from '../../src/observability';
import { PlatformTarget } from '../../src/platform/target';
import { ServiceCluster } from '../../src/service-cluster';

/**
 * A service and its cache, observed by monitoring that already runs, written once.
 *
 * Under a Chart: the cluster's Prometheus Operator (kube-prometheus-stack, Helm release
 * `kube-prometheus-stack` in `monitoring`) scrapes through a ServiceMonitor per construct, loads the
 * platform's alert rules from a PrometheusRule and alerts through its own Alertmanager; Grafana's
 * sidecar picks up the dashboards. Only the OpenTelemetry Collector and Jaeger run in the namespace.
 *
 * Under a Stack: the collector remote-writes into an existing Amazon Managed Service for Prometheus
 * workspace (its rules in a namespace named after the platform) and every alarm and alert goes to
 * the on-call team's existing SNS topic, whose subscriptions are theirs.
 */
export function definePrometheusOperator(scope: Construct): void {
  const catalog = new ServiceCluster(scope, 'Catalog', {
    image: 'ghcr.io/acme/catalog:3.2.1',
    metrics: { port: 9090, path: '/metrics' },
  });
  const cache = new CacheCluster(scope, 'CatalogCache', {});
  cache.allowFrom(catalog);

  const observability = new ObservabilityStack(scope, 'Observability', {
    aws: PlatformTarget.of(scope) === PlatformTarget.AWS ? existingAwsMonitoring(Stack.of(scope)) : undefined,
    kubernetes: {
      metricsBackend: MetricsBackend.prometheusOperator({
        prometheusNamespace: 'monitoring',
        monitorSelectorLabels: { release: 'kube-prometheus-stack' },
        ruleSelectorLabels: { release: 'kube-prometheus-stack' },
      }),
    },
  });
  catalog.addEnvironment('OTEL_EXPORTER_OTLP_ENDPOINT', observability.endpoint.url);
  catalog.addEnvironment('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');
}

/** The account's shared workspace and the on-call topic, both in the Stack's account and region. */
function existingAwsMonitoring(stack: Stack): ObservabilityAwsOptions {
  return {
    prometheusWorkspace: {
      workspaceArn: stack.formatArn({ service: 'aps', resource: 'workspace', resourceName: 'ws-0123456789abcdef', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    },
    alertTopic: sns.Topic.fromTopicArn(stack, 'OncallTopic', stack.formatArn({ service: 'sns', resource: 'platform-oncall' })),
  };
}
