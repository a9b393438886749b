import { JsonPatch, ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ARGO_ROLLOUTS_API_VERSION, renderProgressiveRollout } from './progressive-rollout';
import { ServiceClusterKubernetesOptions } from './props';
import { ServiceClusterKubernetesResources } from './resources';
import { renderKubernetesSidecar } from './sidecars';
import { ServiceClusterSpec } from './spec';
import { WorkloadHandle } from './workload-handle';
import { Endpoint } from '../platform/endpoint';
import { kubernetesExpansionLiteral, kubernetesExpansionLiterals } from '../platform/escape/kubernetes-expansion';
import { kubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';
import { podsIn } from '../platform/workload-peer';

const SERVICE_PORT = 80;
const PRE_STOP_SECONDS = 5;

/**
 * Renders a service as a Deployment (an Argo Rollouts Rollout and AnalysisTemplate for an SLO-gated canary), ClusterIP Service, HorizontalPodAutoscaler (autoscaling/v2),
 * PodDisruptionBudget, ServiceAccount and NetworkPolicy.
 */
export function renderServiceClusterOnKubernetes(
  scope: Construct, spec: ServiceClusterSpec, options: ServiceClusterKubernetesOptions = {},
): WorkloadHandle<ServiceClusterKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const selector = platform.selectorLabels(spec.name, scope);
  const labels = platform.labelsFor(spec.name, 'service', scope);
  const metadata = platform.metadata(spec.name, 'service', scope);
  // Mutable after construction: addEnvironment/addSecret/allowFrom append here; objects render at synth.
  const env: object[] = [
    ...Object.entries(spec.environment).map(([name, value]) => ({ name, value: kubernetesExpansionLiteral(value) })),
    ...Object.entries(spec.secrets).map(([name, secret]) => secretEnv(scope, name, secret)),
  ];
  const ingress: object[] = [];
  const egress: object[] = [];

  const serviceAccount = kubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', {
    metadata: { ...metadata, annotations: options.serviceAccountAnnotations },
    automountServiceAccountToken: options.mountServiceAccountToken ?? false,
  });

  const httpGet = { path: spec.health.path, port: 'http' };
  const h = spec.health;
  const ports: object[] = [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }];
  if (spec.metrics.port !== spec.port) ports.push({ name: 'metrics', containerPort: spec.metrics.port, protocol: 'TCP' });
  const autoscaled = spec.maxReplicas > spec.minReplicas;

  const template = {
    // The platform's labels win: the selector and owner labels must stay as they are.
    metadata: {
      labels: { ...spec.podLabels, ...labels },
      annotations: Object.keys(spec.podAnnotations).length > 0 ? { ...spec.podAnnotations } : undefined,
    },
    spec: {
      serviceAccountName: spec.name,
      automountServiceAccountToken: options.mountServiceAccountToken ?? false,
      terminationGracePeriodSeconds: spec.shutdownGraceSeconds + PRE_STOP_SECONDS,
      securityContext: restrictedPodSecurityContext(spec.runAsUser),
      topologySpreadConstraints: spreadConstraints(selector),
      containers: [{
        name: 'app',
        image: spec.image,
        imagePullPolicy: 'IfNotPresent',
        command: kubernetesExpansionLiterals(spec.command),
        args: kubernetesExpansionLiterals(spec.args),
        ports,
        env,
        resources: {
          requests: { cpu: `${Math.round(spec.cpu * 1000)}m`, memory: `${spec.memoryMiB}Mi` },
          limits: { memory: `${spec.memoryMiB}Mi` },
        },
        securityContext: restrictedContainerSecurityContext(),
        startupProbe: {
          httpGet,
          periodSeconds: 5,
          timeoutSeconds: h.timeoutSeconds,
          failureThreshold: Math.max(1, Math.ceil(h.startupGraceSeconds / 5)),
        },
        readinessProbe: {
          httpGet,
          periodSeconds: h.intervalSeconds,
          timeoutSeconds: h.timeoutSeconds,
          successThreshold: h.healthyThreshold,
          failureThreshold: h.unhealthyThreshold,
        },
        livenessProbe: {
          httpGet, periodSeconds: h.intervalSeconds, timeoutSeconds: h.timeoutSeconds, failureThreshold: h.unhealthyThreshold,
        },
        lifecycle: { preStop: { exec: { command: options.preStopCommand ?? ['/bin/sh', '-c', `sleep ${PRE_STOP_SECONDS}`] } } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: `${options.tmpVolumeSize?.toMebibytes() ?? 256}Mi` } }],
    },
  };
  // Under an HPA the replica count is the autoscaler's: re-applying the manifest must not reset it.
  const replicas = autoscaled ? undefined : spec.minReplicas;
  const progressive = spec.canary
    ? renderProgressiveRollout(scope, { name: spec.name, metadata, selector, replicas, template, canary: spec.canary }) : undefined;
  const deployment = progressive?.rollout ?? kubeObject(k8s.KubeDeployment, scope, 'Deployment', {
    metadata,
    spec: {
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template,
    },
  });

  const servicePorts: object[] = [{ name: 'http', port: SERVICE_PORT, targetPort: 'http', protocol: 'TCP' }];
  if (spec.metrics.port !== spec.port) {
    servicePorts.push({ name: 'metrics', port: spec.metrics.port, targetPort: 'metrics', protocol: 'TCP' });
  }
  const service = kubeObject(k8s.KubeService, scope, 'Service', {
    metadata,
    spec: { type: 'ClusterIP', selector, ports: servicePorts },
  });

  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });

  const networkPolicy = kubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata,
    spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });

  // An HPA scales a Rollout through its scale subresource, as it scales a Deployment.
  const scaleTarget = progressive
    ? { apiVersion: ARGO_ROLLOUTS_API_VERSION, kind: 'Rollout', name: spec.name }
    : { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name };
  const autoscaler = autoscaled ? renderAutoscaler(scope, metadata, spec, options, scaleTarget) : undefined;

  // Peers reach the service port; scrapers the metrics port. Neither gets the other's.
  const admit = (peer: NetworkPeer, port: number) => {
    ingress.push({ from: [peer._kubernetesPeer(scope, platform.namespace)], ports: [{ protocol: 'TCP', port }] });
    peer._grantEgress({ podLabels: selector, namespace: platform.namespace, port });
  };
  return {
    resources: { deployment, service, serviceAccount, disruptionBudget, networkPolicy, autoscaler, analysisTemplate: progressive?.analysisTemplate },
    deploymentGate: progressive?.gate,
    endpoint: new Endpoint(platform.serviceHost(spec.name), SERVICE_PORT),
    networkIdentity: NetworkPeer._workload({
      podLabels: selector,
      namespace: platform.namespace,
      allowEgress: grant => egress.push({ to: [podsIn(grant.podLabels, grant.namespace)], ports: [{ protocol: 'TCP', port: grant.port }] }),
    }),
    addEnvironment: (name, value) => env.push({ name, value: kubernetesExpansionLiteral(value) }),
    addSecret: (name, secret) => env.push(secretEnv(scope, name, secret)),
    addSidecar: sidecar => deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/-', renderKubernetesSidecar(scope, sidecar))),
    allowFrom: peer => admit(peer, spec.port),
    allowMetricsFrom: peer => admit(peer, spec.metrics.port),
  };
}

function renderAutoscaler(
  scope: Construct, metadata: ApiObjectMetadata, spec: ServiceClusterSpec, options: ServiceClusterKubernetesOptions, scaleTargetRef: object,
): k8s.KubeHorizontalPodAutoscalerV2 {
  const metrics: object[] = [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCpuUtilization } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: spec.targetMemoryUtilization } } },
  ];
  if (spec.targetRequestsPerSecond !== undefined) {
    metrics.push({
      type: 'Pods',
      pods: {
        metric: { name: options.requestRateMetric ?? 'http_requests_per_second' },
        target: { type: 'AverageValue', averageValue: `${spec.targetRequestsPerSecond}` },
      },
    });
  }
  return kubeObject(k8s.KubeHorizontalPodAutoscalerV2, scope, 'Autoscaler', {
    metadata,
    spec: {
      scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics,
      behavior: {
        // Same pacing as the ECS cooldowns: scale out within a minute, scale in after five.
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    },
  });
}

function secretEnv(scope: Construct, name: string, secret: PlatformSecret): object {
  return { name, valueFrom: { secretKeyRef: secret._toSecretKeyRef(scope, `secrets.${name}`) } };
}
