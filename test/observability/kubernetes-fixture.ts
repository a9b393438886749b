import { Chart } from 'cdk8s';
import { AlertReceiver, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { findObject, kubernetesChart, manifestsOf } from '../util';

export const RECEIVERS = [
  AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('alerting-slack', 'webhook-url'), channel: '#alerts' }),
  AlertReceiver.webhook('https://oncall.example.com/hooks/platform'),
  AlertReceiver.email({
    to: 'oncall@example.com',
    sender: 'alerts@example.com',
    smarthost: 'smtp.example.com:587',
    username: 'alerts',
    passwordSecret: PlatformSecret.named('alerting-smtp', 'password'),
  }),
];

/** Users (metrics on 9090), the stack, then Orders: created after the stack, observed all the same. */
export function render(props: ObservabilityStackProps = {}, extra?: (chart: Chart) => void) {
  const chart = kubernetesChart();
  const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2', metrics: { port: 9090 } });
  const stack = new ObservabilityStack(chart, 'Observability', { receivers: RECEIVERS, ...props });
  const orders = new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
  extra?.(chart);
  return { chart, users, orders, stack, manifests: manifestsOf(chart) };
}

/** Pods of component `name`, whichever construct owns them (each selector carries its owner's label). */
export const selector = (name: string) => expect.objectContaining({
  'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'platform', 'cdk-portable-platform.io/owner': expect.any(String),
});
export const inShop = (name: string) => ({
  podSelector: { matchLabels: selector(name) }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
});
export const tcp = (...ports: number[]) => ports.map(port => ({ protocol: 'TCP', port }));
export const configMapData = (manifests: any[], name: string) => findObject(manifests, 'ConfigMap', name).data;
/** Every dashboard file, from all the ConfigMaps they are spread over. */
export const dashboardFiles = (manifests: any[]): Record<string, string> => Object.assign({}, ...manifests
  .filter(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboards-')).map(o => o.data ?? {}));
export const podSpec = (manifests: any[], kind: string, name: string) => findObject(manifests, kind, name).spec.template.spec;
