import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { WatchedSource } from './discovery';
import { DnsScrapeTarget } from './prometheus-config';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';

/** The headless Service through which Prometheus finds every replica of `job`. */
export const metricsServiceName = (job: string) => `${job}-scrape`;
/** Name of the metrics port on a source's headless Service. */
export const METRICS_PORT_NAME = 'metrics';

/**
 * One scrape job on Kubernetes: the headless Service listing every replica, and the port and path
 * serving metrics. The bundled Prometheus resolves the Service's DNS name; a Prometheus Operator
 * is handed a ServiceMonitor for the same Service, port and path. One model, so both scrape alike.
 */
export interface KubernetesScrapeTarget extends DnsScrapeTarget {
  /** The headless Service (labelled `app.kubernetes.io/name: <serviceName>`). */
  readonly serviceName: string;
  readonly namespace: string;
  /** Name of the Service port serving metrics. */
  readonly portName: string;
}

export interface ScrapeTargetInput {
  readonly job: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly port: number;
  readonly portName: string;
  readonly path: string;
  readonly honorLabels?: boolean;
}

/** A scrape target (pure). */
export function kubernetesScrapeTarget(input: ScrapeTargetInput): KubernetesScrapeTarget {
  return {
    job: input.job,
    dnsName: `${input.serviceName}.${input.namespace}.svc.cluster.local`,
    port: input.port,
    path: input.path,
    ...(input.honorLabels ? { honorLabels: true } : {}),
    serviceName: input.serviceName,
    namespace: input.namespace,
    portName: input.portName,
  };
}

/** The scrape target of an observed construct: its `<job>-scrape` headless Service (pure). */
export function sourceScrapeTarget({ source }: WatchedSource, platformNamespace: string): KubernetesScrapeTarget {
  return kubernetesScrapeTarget({
    job: source.job,
    serviceName: metricsServiceName(source.job),
    namespace: source.namespace || platformNamespace,
    port: source.port,
    portName: METRICS_PORT_NAME,
    path: source.path,
  });
}

/**
 * The headless Service listing every replica of an observed construct. It belongs to that
 * construct when the source selects the construct's own pods.
 */
export function renderMetricsService(
  scope: Construct, platform: KubernetesPlatform, watched: WatchedSource, platformObjects: readonly ApiObject[],
): k8s.KubeService {
  const { construct, source } = watched;
  const owner = selectsOwnPods(construct, source) ? construct : undefined;
  const service = typedKubeObject(k8s.KubeService, scope, `Metrics-${source.job}`, {
    metadata: { ...platform.metadata(metricsServiceName(source.job), 'observability', owner), namespace: source.namespace || platform.namespace },
    spec: {
      clusterIp: 'None',
      // Unready replicas are scraped too, so a broken one shows up as down instead of vanishing.
      publishNotReadyAddresses: true,
      selector: source.selector,
      ports: [{ name: METRICS_PORT_NAME, port: source.port, targetPort: k8s.IntOrString.fromNumber(source.port), protocol: 'TCP' }],
    },
  });
  // Created at synthesis, after cdk8s ordered the chart: keep the namespace and policies first.
  for (const o of platformObjects) service.node.addDependency(o);
  return service;
}

/** A source whose selector carries its construct's identity: the scrape Service then belongs to that construct. */
function selectsOwnPods(construct: IConstruct, source: { readonly selector?: Record<string, string> }): boolean {
  return source.selector?.[KubernetesPlatform.OWNER_LABEL] === KubernetesPlatform.ownerId(construct);
}
