import { k8s } from 'cdk8s-plus-27';
import { JWT_VERIFIER_HEALTH_PATH, JWT_VERIFIER_PORT, jwtVerifierArgs } from './jwt-verifier-config';
import { GATEWAY_DEFAULTS, GatewaySpec, JWT_VERIFIER_IMAGE } from './spec';
import { TRAEFIK_PORTS } from './traefik-static-config';
import { kubernetesExpansionLiterals } from '../platform/escape/kubernetes-expansion';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';

export const STATIC_CONFIG_DIR = '/etc/traefik/static';
export const TLS_DIR = '/etc/traefik/tls';

export interface GatewayPodInputs {
  readonly spec: GatewaySpec;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly staticConfigName: string;
  readonly dynamicConfigName: string;
  readonly tlsSecretName: string;
  readonly dynamicConfigDir: string;
  /** Environment of the Traefik container (rate-limit store passwords); appended to after construction. */
  readonly env: k8s.EnvVar[];
  /** Changes when the static configuration changes, so pods roll (the dynamic one is watched). */
  readonly staticConfigChecksum: string;
}

const quantity = (value: string) => k8s.Quantity.fromString(value);

/** The Traefik pod: restricted, probes on ping, configs and certificate mounted read-only, Envoy verifier sidecar when asked. */
export function gatewayPodTemplate(inputs: GatewayPodInputs): k8s.PodTemplateSpec {
  const { spec } = inputs;
  const ping = { httpGet: { path: '/ping', port: k8s.IntOrString.fromString('ping') } };
  const traefik: k8s.Container = {
    name: 'traefik',
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    args: [`--configFile=${STATIC_CONFIG_DIR}/traefik.yaml`],
    ports: Object.entries(TRAEFIK_PORTS).map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
    env: inputs.env,
    resources: {
      requests: { cpu: quantity(`${Math.round(spec.cpu * 1000)}m`), memory: quantity(`${spec.memoryMiB}Mi`) },
      limits: { memory: quantity(`${spec.memoryMiB}Mi`) },
    },
    securityContext: restrictedContainerSecurityContext(),
    startupProbe: { ...ping, periodSeconds: 2, failureThreshold: 30 },
    readinessProbe: { ...ping, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
    livenessProbe: { ...ping, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    volumeMounts: [
      { name: 'static-config', mountPath: STATIC_CONFIG_DIR, readOnly: true },
      // A directory mount (no subPath), so ConfigMap updates reach the watching file provider.
      { name: 'dynamic-config', mountPath: inputs.dynamicConfigDir, readOnly: true },
      { name: 'tls', mountPath: TLS_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const containers = [traefik];
  if (spec.jwt?.verifier.kind === 'sidecar') {
    const health = { httpGet: { path: JWT_VERIFIER_HEALTH_PATH, port: k8s.IntOrString.fromString('jwt-verifier') } };
    containers.push({
      name: 'jwt-verifier',
      image: JWT_VERIFIER_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      // The issuer and audiences are user strings: Kubernetes must not expand $(…) in them.
      args: kubernetesExpansionLiterals(jwtVerifierArgs(spec.jwt)),
      ports: [{ name: 'jwt-verifier', containerPort: JWT_VERIFIER_PORT, protocol: 'TCP' }],
      resources: { requests: { cpu: quantity('50m'), memory: quantity('64Mi') }, limits: { memory: quantity('128Mi') } },
      securityContext: restrictedContainerSecurityContext(),
      readinessProbe: { ...health, periodSeconds: 5, timeoutSeconds: 3 },
      livenessProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    });
  }
  return {
    metadata: { labels: inputs.labels, annotations: { 'checksum/static-config': inputs.staticConfigChecksum } },
    spec: {
      serviceAccountName: spec.name,
      automountServiceAccountToken: false,
      // Traefik's lifeCycle: 5 s to stop accepting, 25 s to finish in-flight requests.
      terminationGracePeriodSeconds: 40,
      securityContext: restrictedPodSecurityContext(GATEWAY_DEFAULTS.runAsUser),
      topologySpreadConstraints: spreadConstraints(inputs.selector),
      containers,
      volumes: [
        { name: 'static-config', configMap: { name: inputs.staticConfigName } },
        { name: 'dynamic-config', configMap: { name: inputs.dynamicConfigName } },
        { name: 'tls', secret: { secretName: inputs.tlsSecretName } },
        { name: 'tmp', emptyDir: { sizeLimit: quantity('64Mi') } },
      ],
    },
  };
}
