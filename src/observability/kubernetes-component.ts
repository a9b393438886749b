import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { typedKubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';
import { NetworkPeer } from '../platform/network';
import { podsIn } from '../platform/workload-peer';

export interface ComponentPort {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
  /** Expose on the ClusterIP Service. @default true for TCP */
  readonly exposed?: boolean;
}

export interface ComponentProps {
  readonly name: string;
  readonly replicas: number;
  /** Numeric user (and group) the image runs as. */
  readonly user: number;
  readonly image: string;
  readonly args?: string[];
  readonly env?: k8s.EnvVar[];
  readonly ports: readonly ComponentPort[];
  /** HTTP path and port name answering readiness and liveness. */
  readonly readiness: { readonly path: string; readonly port: string };
  readonly liveness: { readonly path: string; readonly port: string };
  readonly cpu: string;
  readonly memory: string;
  readonly volumes?: k8s.Volume[];
  readonly mounts?: k8s.VolumeMount[];
  /** A volume per replica (renders a StatefulSet); otherwise a Deployment, unless `stateful`. */
  readonly claim?: { readonly name: string; readonly sizeGiB: number; readonly mountPath: string };
  /**
   * A `data` volume per replica from the platform's shared claim helpers (`dataVolumeClaimTemplate`,
   * `claimRetentionPolicy`), mounted at `mountPath`; used instead of `claim`.
   */
  readonly dataVolume?: { readonly template: unknown; readonly retention: { whenDeleted: string; whenScaled: string }; readonly mountPath: string };
  /** Render a StatefulSet even without a volume (stable replica names, e.g. for clustering). */
  readonly stateful?: boolean;
  /** Add a headless Service (one DNS record per replica) to a Deployment. StatefulSets always have one. */
  readonly headless?: boolean;
  /** Pod affinity, on top of the zone and node spread. @default none */
  readonly affinity?: k8s.Affinity;
  /** Pod template annotations (e.g. configuration checksums, so a changed ConfigMap rolls the pods). */
  readonly podAnnotations?: Record<string, string>;
}

/** One component of the stack: its objects, its network identity and its (mutable) policy rules. */
export interface Component {
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly service: k8s.KubeService;
  readonly headlessService?: k8s.KubeService;
  readonly statefulSet?: k8s.KubeStatefulSet;
  readonly deployment?: k8s.KubeDeployment;
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  readonly peer: NetworkPeer;
  readonly ingress: k8s.NetworkPolicyIngressRule[];
  readonly egress: k8s.NetworkPolicyEgressRule[];
}

const q = (value: string) => k8s.Quantity.fromString(value);
const port = (value: number | string) => typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);

/**
 * Renders a restricted, spread, probed workload with its ServiceAccount (no token), Services,
 * PodDisruptionBudget (when replicated) and a NetworkPolicy whose rules `admit` fills in.
 */
export function renderComponent(scope: Construct, platform: KubernetesPlatform, props: ComponentProps): Component {
  const selector = platform.selectorLabels(props.name, scope);
  const metadata = platform.metadata(props.name, 'observability', scope);
  const ingress: k8s.NetworkPolicyIngressRule[] = [];
  const egress: k8s.NetworkPolicyEgressRule[] = [];
  const serviceAccount = typedKubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', { metadata, automountServiceAccountToken: false });

  const podSpec: k8s.PodSpec = {
    serviceAccountName: props.name,
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(props.user),
    topologySpreadConstraints: spreadConstraints(selector),
    affinity: props.affinity,
    containers: [{
      name: props.name,
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      args: props.args,
      env: props.env,
      ports: props.ports.map(p => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
      resources: { requests: { cpu: q(props.cpu), memory: q(props.memory) }, limits: { memory: q(props.memory) } },
      securityContext: restrictedContainerSecurityContext(),
      readinessProbe: {
        httpGet: { path: props.readiness.path, port: port(props.readiness.port) }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3,
      },
      livenessProbe: {
        httpGet: { path: props.liveness.path, port: port(props.liveness.port) },
        initialDelaySeconds: 30,
        periodSeconds: 15,
        timeoutSeconds: 5,
        failureThreshold: 4,
      },
      volumeMounts: [
        { name: 'tmp', mountPath: '/tmp' },
        ...(props.claim ? [{ name: props.claim.name, mountPath: props.claim.mountPath }] : []),
        ...(props.dataVolume ? [{ name: 'data', mountPath: props.dataVolume.mountPath }] : []),
        ...props.mounts ?? [],
      ],
    }],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: q('256Mi') } }, ...props.volumes ?? []],
  };
  const template = { metadata: { labels: metadata.labels, annotations: props.podAnnotations }, spec: podSpec };

  const servicePorts = props.ports.filter(p => p.exposed ?? (p.protocol ?? 'TCP') === 'TCP')
    .map(p => ({ name: p.name, port: p.port, targetPort: port(p.name), protocol: p.protocol ?? 'TCP' }));
  const service = typedKubeObject(k8s.KubeService, scope, 'Service', { metadata, spec: { type: 'ClusterIP', selector, ports: servicePorts } });

  let statefulSet: k8s.KubeStatefulSet | undefined;
  let deployment: k8s.KubeDeployment | undefined;
  let headlessService: k8s.KubeService | undefined;
  const stateful = props.claim !== undefined || props.dataVolume !== undefined || props.stateful === true;
  const headlessName = `${props.name}-headless`;
  if (stateful || props.headless) {
    headlessService = typedKubeObject(k8s.KubeService, scope, 'HeadlessService', {
      metadata: platform.metadata(headlessName, 'observability', scope),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: props.ports.map(p => ({ name: p.name, port: p.port, targetPort: port(p.name), protocol: p.protocol ?? 'TCP' })),
      },
    });
  }
  if (stateful) {
    statefulSet = typedKubeObject(k8s.KubeStatefulSet, scope, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: headlessName,
        replicas: props.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template,
        ...(props.claim ? {
          volumeClaimTemplates: [{
            metadata: { name: props.claim.name },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: platform.storageClassName,
              resources: { requests: { storage: q(`${props.claim.sizeGiB}Gi`) } },
            },
          }],
          // Metrics and traces outlive the StatefulSet: deleting or scaling it down keeps the volumes.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        } : {}),
        ...(props.dataVolume ? {
          volumeClaimTemplates: [props.dataVolume.template as k8s.KubePersistentVolumeClaimProps],
          persistentVolumeClaimRetentionPolicy: props.dataVolume.retention,
        } : {}),
      },
    });
  } else {
    deployment = typedKubeObject(k8s.KubeDeployment, scope, 'Deployment', {
      metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: port(0), maxSurge: port(1) } },
        template,
      },
    });
  }
  const disruptionBudget = props.replicas > 1 ? typedKubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata, spec: { maxUnavailable: port(1), selector: { matchLabels: selector } },
  }) : undefined;
  const networkPolicy = typedKubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata, spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });
  const peer = NetworkPeer._workload({
    podLabels: selector,
    namespace: platform.namespace,
    allowEgress: grant => egress.push({
      to: [podsIn(grant.podLabels, grant.namespace)],
      ports: [{ protocol: 'TCP', port: port(grant.port) }],
    }),
  });
  return {
    name: props.name,
    selector,
    serviceAccount,
    service,
    headlessService,
    statefulSet,
    deployment,
    disruptionBudget,
    networkPolicy,
    peer,
    ingress,
    egress,
  };
}

/** Lets `from` reach `target` on TCP `ports`: an ingress rule on the target and an egress rule on the peer. */
export function admit(target: Component, from: NetworkPeer, ports: readonly number[], namespace: string, scope: Construct): void {
  target.ingress.push({
    from: [from._kubernetesPeer(scope, namespace)],
    ports: ports.map(p => ({ protocol: 'TCP', port: port(p) })),
  });
  for (const p of ports) from._grantEgress({ podLabels: target.selector, namespace, port: p });
}

/** Egress to anywhere on these TCP ports (notification services, log stores outside the cluster). */
export function internetEgress(component: Component, ports: readonly number[]): void {
  if (ports.length === 0) return;
  component.egress.push({
    to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
    ports: [...new Set(ports)].map(p => ({ protocol: 'TCP', port: port(p) })),
  });
}
