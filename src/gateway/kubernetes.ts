import { createHash } from 'crypto';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { GatewayHandle, GatewayRenderContext } from './gateway-handle';
import { gatewayPodTemplate } from './kubernetes-pod';
import { rateLimitStoreBindings } from './policies/rate-limit';
import { GatewayKubernetesOptions } from './props';
import { GatewayKubernetesResources } from './resources';
import { RouteSpec } from './route-spec';
import { GatewaySpec } from './spec';
import { renderTraefikDynamicConfig, traefikConfigYaml, traefikStaticConfigYaml } from './traefik-config';
import { DYNAMIC_CONFIG_DIR, DYNAMIC_CONFIG_FILE, PUBLIC_PORTS, renderTraefikStaticConfig, TRAEFIK_PORTS } from './traefik-static-config';
import { traefikTargetOptions } from './traefik-target';
import { Endpoint } from '../platform/endpoint';
import { publicInternetIpBlock } from '../platform/internet';
import { typedKubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { NetworkPeer } from '../platform/network';
import { PlatformTarget } from '../platform/target';
import { podsIn } from '../platform/workload-peer';

/** Internet addresses: egress to external upstreams and the JWKS, never to the cluster's private ranges. */

/**
 * Renders the gateway as a Traefik Deployment (static config and the synth-time dynamic config from
 * ConfigMaps), a LoadBalancer Service (80/443 → 8000/8443), a metrics Service, PDB, HPA,
 * NetworkPolicy, ServiceAccount without token, and a cert-manager Certificate when asked.
 */
export function renderGatewayOnKubernetes(
  scope: Construct, spec: GatewaySpec, options: GatewayKubernetesOptions, context: GatewayRenderContext,
): GatewayHandle<GatewayKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const selector = platform.selectorLabels(spec.name, scope);
  const metadata = (name: string) => platform.metadata(name, 'gateway', scope);
  const tls = options.tls;
  const tlsSecretName = tls.secretName ?? `${spec.name}-tls`;
  const targetOptions = traefikTargetOptions(spec, PlatformTarget.KUBERNETES);
  const env: k8s.EnvVar[] = [];
  const egress: k8s.NetworkPolicyEgressRule[] = [];

  const serviceAccount = typedKubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', {
    metadata: metadata(spec.name),
    // The file provider reads mounted files: Traefik never calls the Kubernetes API.
    automountServiceAccountToken: false,
  });
  const staticYaml = traefikStaticConfigYaml(renderTraefikStaticConfig(spec, {
    trustedIps: [], dynamicConfigDir: DYNAMIC_CONFIG_DIR, publicHttpsPort: PUBLIC_PORTS.https,
  }));
  const staticConfig = typedKubeObject(k8s.KubeConfigMap, scope, 'StaticConfig', {
    metadata: metadata(`${spec.name}-static`),
    data: { 'traefik.yaml': staticYaml },
  });
  const dynamicConfig = typedKubeObject(k8s.KubeConfigMap, scope, 'DynamicConfig', {
    metadata: metadata(`${spec.name}-dynamic`),
    // Rendered at synth, so routes added after construction are included.
    data: {
      [DYNAMIC_CONFIG_FILE]: Lazy.any({ produce: () => traefikConfigYaml(renderTraefikDynamicConfig(spec, context.routes(), targetOptions)) }),
    },
  });
  const certificate = tls.certManagerOptions ? new ApiObject(scope, 'Certificate', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: metadata(spec.name),
    spec: {
      secretName: tlsSecretName,
      dnsNames: [spec.domainName!],
      issuerRef: { name: tls.certManagerOptions.issuerName, kind: tls.certManagerOptions.issuerKind ?? 'ClusterIssuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
    },
  }) : undefined;

  const autoscaled = spec.maxReplicas > spec.minReplicas;
  const deployment = typedKubeObject(k8s.KubeDeployment, scope, 'Deployment', {
    metadata: metadata(spec.name),
    spec: {
      replicas: autoscaled ? undefined : spec.minReplicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') } },
      template: gatewayPodTemplate({
        spec,
        selector,
        labels: platform.labelsFor(spec.name, 'gateway', scope),
        env,
        tlsSecretName,
        staticConfigName: `${spec.name}-static`,
        dynamicConfigName: `${spec.name}-dynamic`,
        dynamicConfigDir: DYNAMIC_CONFIG_DIR,
        staticConfigChecksum: createHash('sha256').update(staticYaml).digest('hex').slice(0, 16),
      }),
    },
  });
  const port = (name: string, servicePort: number) => ({ name, port: servicePort, targetPort: k8s.IntOrString.fromString(name), protocol: 'TCP' });
  const service = typedKubeObject(k8s.KubeService, scope, 'Service', {
    metadata: { ...metadata(spec.name), annotations: options.serviceAnnotations },
    spec: {
      type: 'LoadBalancer',
      selector,
      ports: [port('web', PUBLIC_PORTS.http), port('websecure', PUBLIC_PORTS.https)],
      // Keeps the client's address (rate limits and allow lists count by it).
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: options.loadBalancerSourceRanges,
    },
  });
  const metricsService = typedKubeObject(k8s.KubeService, scope, 'MetricsService', {
    metadata: metadata(`${spec.name}-metrics`),
    spec: { type: 'ClusterIP', selector, ports: [port('metrics', TRAEFIK_PORTS.metrics)] },
  });
  const disruptionBudget = typedKubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata: metadata(spec.name),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
  const autoscaler = autoscaled ? typedKubeObject(k8s.KubeHorizontalPodAutoscalerV2, scope, 'Autoscaler', {
    metadata: metadata(spec.name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCpuUtilization } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    },
  }) : undefined;

  const allowRouteEgress = externalEgress(spec, egress);
  // Rendered at synth: allowMetricsFrom appends after construction.
  const ingress: k8s.NetworkPolicyIngressRule[] = [{
    // The public entry point: any client may reach the web and websecure ports.
    ports: [TRAEFIK_PORTS.web, TRAEFIK_PORTS.websecure].map(p => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) })),
  }];
  const networkPolicy = typedKubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata: metadata(spec.name),
    spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  });

  const stores = () => rateLimitStoreBindings([spec.rateLimit, ...context.routes().map(r => r.rateLimit?.spec)]);
  const mountedCas = new Set<string>();
  const addStoreSecrets = () => {
    for (const binding of stores()) {
      if (binding.caDirectory && !mountedCas.has(binding.caDirectory)) {
        // The store's private CA, as a read-only file for Traefik's Redis client (traefik is container 0).
        mountedCas.add(binding.caDirectory);
        const ref = binding.store.redisTlsCa!._toSecretKeyRef(scope, 'rateLimit.store');
        const volume = `rate-limit-store-ca-${mountedCas.size}`;
        deployment.addJsonPatch(
          JsonPatch.add('/spec/template/spec/volumes/-', { name: volume, secret: { secretName: ref.name, items: [{ key: ref.key, path: ref.key }], defaultMode: 0o444 } }),
          JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: volume, mountPath: binding.caDirectory, readOnly: true }),
        );
      }
      if (!binding.passwordVariable || env.some(e => e.name === binding.passwordVariable)) continue;
      env.push({ name: binding.passwordVariable, valueFrom: { secretKeyRef: binding.store.redisPassword!._toSecretKeyRef(scope, 'rateLimit.store') } });
    }
  };
  addStoreSecrets();

  return {
    resources: {
      deployment, service, metricsService, staticConfig, dynamicConfig, serviceAccount, disruptionBudget, autoscaler, networkPolicy, certificate,
    },
    endpoint: new Endpoint(spec.domainName ?? platform.serviceHost(spec.name), PUBLIC_PORTS.https, 'https'),
    networkIdentity: NetworkPeer._workload({
      podLabels: selector,
      namespace: platform.namespace,
      allowEgress: grant => egress.push({
        to: [podsIn(grant.podLabels, grant.namespace)],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(grant.port) }],
      }),
    }),
    metricsHost: platform.serviceHost(`${spec.name}-metrics`),
    allowMetricsFrom: peer => {
      ingress.push({
        from: [peer._kubernetesPeer(scope, platform.namespace)],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(TRAEFIK_PORTS.metrics) }],
      });
      peer._grantEgress({ podLabels: selector, namespace: platform.namespace, port: TRAEFIK_PORTS.metrics });
    },
    onRouteAdded: route => {
      allowRouteEgress(route);
      addStoreSecrets();
    },
  };
}

/** Egress rules for what lies outside the platform: the internet (external URLs, JWKS) and in-cluster endpoints given by URL. */
function externalEgress(spec: GatewaySpec, egress: k8s.NetworkPolicyEgressRule[]) {
  const portOf = (url: string) => {
    const parsed = new URL(url);
    return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  };
  // Mutated as routes are added; rendered at synth. An empty port list would mean every port: the rule is added with its first port.
  const internetPorts = new Set<number>();
  const internetRule: k8s.NetworkPolicyEgressRule = { to: [{ ipBlock: publicInternetIpBlock() }], ports: [] };
  const allowInternet = (url: string) => {
    const port = portOf(url);
    if (internetPorts.has(port)) return;
    if (internetPorts.size === 0) egress.push(internetRule);
    internetPorts.add(port);
    internetRule.ports!.push({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
  };
  if (spec.jwt?.verifier.kind === 'sidecar') allowInternet(spec.jwt.jwksUrl);
  // The collector and a forwardAuth verifier run in the cluster, namespace unknown: any pod, on their port only.
  const clusterPorts = [...new Set([spec.tracing?.otlpEndpoint, spec.jwt?.verifier.address].filter((u): u is string => u !== undefined).map(portOf))];
  if (clusterPorts.length > 0) {
    egress.push({ to: [{ namespaceSelector: {} }], ports: clusterPorts.map(p => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) })) });
  }
  return (route: RouteSpec) => {
    if (route.targetKind === 'url') allowInternet(route.upstreams[0].url);
  };
}
