/**
 * A realistic, hardened manifest set that must pass every validator with zero findings.
 * Each call returns fresh objects so tests can mutate them freely.
 */
export const NAMESPACE = 'platform';
export const API_LABELS = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'platform' };
export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const apiSelector = () => ({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
const metadata = (name: string) => ({ name, namespace: NAMESPACE, labels: { ...API_LABELS } });

export function hardenedContainerSecurityContext(): any {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
}

export function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata('api'),
    spec: {
      replicas: 3,
      selector: apiSelector(),
      // maxSurge as string and maxUnavailable as integer: IntOrString both ways
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...API_LABELS } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [{
            name: 'migrate',
            image: `registry.example.com/platform/api@${DIGEST}`,
            command: ['/app/migrate', '--up'],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            securityContext: hardenedContainerSecurityContext(),
          }],
          containers: [{
            name: 'api',
            image: 'registry.example.com:5000/platform/api:1.4.2',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'password' } } },
            ],
            resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
            readinessProbe: { httpGet: { path: '/healthz/ready', port: 'http' }, periodSeconds: 5 },
            livenessProbe: { httpGet: { path: '/healthz/live', port: 8080 }, initialDelaySeconds: 10 },
            securityContext: hardenedContainerSecurityContext(),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          topologySpreadConstraints: [{
            maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: apiSelector(),
          }],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: apiSelector() },
              }],
            },
          },
        },
      },
    },
  };
}

export function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata('api'),
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
      ],
    },
  };
}

export function podDisruptionBudget(): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadata('api'), spec: { minAvailable: 2, selector: apiSelector() } };
}

export function horizontalPodAutoscaler(): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata('api'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}

export function apiNetworkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata('api'),
    spec: {
      podSelector: apiSelector(),
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }],
        ports: [{ protocol: 'TCP', port: 'http' }],
      }],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    },
  };
}

export function defaultDenyNetworkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

/** Deployment, Service, PDB, HPA, NetworkPolicy and default-deny, in that order. */
export function goodManifests(): any[] {
  return [deployment(), service(), podDisruptionBudget(), horizontalPodAutoscaler(), apiNetworkPolicy(), defaultDenyNetworkPolicy()];
}

/** The good set with its Deployment (index 0) replaced by the result of `edit`. */
export function withDeployment(edit: (d: any) => void): any[] {
  const manifests = goodManifests();
  edit(manifests[0]);
  return manifests;
}

/** A pod spec of the good Deployment, for building other pod-bearing kinds. */
export function podTemplate(): any {
  return deployment().spec.template;
}
