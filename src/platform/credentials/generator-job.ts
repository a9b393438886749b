import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { FINISHED_JOB_TTL_SECONDS, jobName } from '../kubernetes-job';
import { KubernetesPlatform } from '../kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../kubernetes-pod';
import { OwnedCredential } from '../owned-credentials';
import { platformWarning } from '../warnings';
import { GeneratorJobOptions } from './credential-provisioning';
import { renderGeneratorScript, secretPlans } from './generator-script';
import { typedKubeObject } from '../kube-object';

export const GENERATOR_JOB_DEFAULTS = { image: 'curlimages/curl:8.11.1', runAsUser: 100, apiServerPorts: [443, 6443] };
const COMPONENT = 'credentials';
const SCRIPT_DIR = '/opt/credentials';
const SCRIPT_FILE = 'generate-credentials.sh';
const TOKEN_DIR = '/var/run/secrets/credentials-token';
/** A token for this Job only, valid for 10 minutes (the kubelet renews it while the pod runs). */
const TOKEN_SECONDS = 600;

/** The generator Job and what it needs. */
export interface GeneratorJobResources {
  /** Identity of the Job's pod. */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** `create` on Secrets, `get` on the owned Secrets by name. */
  readonly role: k8s.KubeRole;
  /** Binds the Role to the ServiceAccount. */
  readonly roleBinding: k8s.KubeRoleBinding;
  /** The script (`generate-credentials.sh`). */
  readonly script: k8s.KubeConfigMap;
  /** The Job, named after a hash of its pod template and script. */
  readonly job: k8s.KubeJob;
  /** Egress to the API server only. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
}

/**
 * Renders the Job that creates each missing owned credential, with the narrowest access:
 * - RBAC cannot limit `create` by name (the name is in the request body, not the URL), so the Role
 *   allows creating any Secret in the namespace; the script compensates by creating only the names
 *   written into it, its token is mounted into this pod alone and expires in minutes, and the pod
 *   runs nothing else. `get` is limited to those names, and there is no update, patch, list or delete.
 * - The only egress is the API server (`apiServerCidrs`; any address on its ports when unknown).
 */
export function renderGeneratorJob(
  scope: Construct, platform: KubernetesPlatform, credentials: readonly OwnedCredential[], options: GeneratorJobOptions,
): GeneratorJobResources {
  const base = `${platform.platformName}-credentials`;
  const metadata = (name: string) => platform.metadata(name, COMPONENT, scope);
  const names = secretPlans(credentials).map(plan => plan.name);

  const serviceAccount = typedKubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', { metadata: metadata(base), automountServiceAccountToken: false });
  const role = typedKubeObject(k8s.KubeRole, scope, 'Role', {
    metadata: metadata(base),
    rules: [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: names, verbs: ['get'] },
    ],
  });
  const roleBinding = typedKubeObject(k8s.KubeRoleBinding, scope, 'RoleBinding', {
    metadata: metadata(base),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: base },
    subjects: [{ kind: 'ServiceAccount', name: base, namespace: platform.namespace }],
  });

  const secretLabels = { ...platform.commonLabels(), 'app.kubernetes.io/component': COMPONENT };
  const files = {
    [SCRIPT_FILE]: renderGeneratorScript(platform.namespace, secretLabels, credentials, { tokenFile: `${TOKEN_DIR}/token`, caFile: `${TOKEN_DIR}/ca.crt` }),
  };
  const script = typedKubeObject(k8s.KubeConfigMap, scope, 'Script', { metadata: metadata(`${base}-script`), data: files });

  const user = options.runAsUser ?? GENERATOR_JOB_DEFAULTS.runAsUser;
  const labels = platform.labelsFor(base, COMPONENT, scope);
  const template: k8s.PodTemplateSpec = {
    metadata: { labels },
    spec: {
      restartPolicy: 'OnFailure',
      serviceAccountName: base,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(user),
      containers: [{
        name: 'generate',
        image: options.image ?? GENERATOR_JOB_DEFAULTS.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', `${SCRIPT_DIR}/${SCRIPT_FILE}`],
        env: [{ name: 'TMPDIR', value: '/tmp' }],
        resources: {
          requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('32Mi') },
          limits: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('64Mi') },
        },
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
          { name: 'token', mountPath: TOKEN_DIR, readOnly: true },
        ],
      }],
      volumes: [
        // Generated values pass through here: memory, never a node's disk.
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
        { name: 'script', configMap: { name: `${base}-script`, defaultMode: 0o444 } },
        {
          name: 'token',
          projected: {
            defaultMode: 0o440,
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: TOKEN_SECONDS } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
      ],
    },
  };
  const job = typedKubeObject(k8s.KubeJob, scope, 'Job', {
    metadata: { ...platform.metadata(jobName(base, template, files), COMPONENT, scope), labels },
    spec: { backoffLimit: 6, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS, template },
  });

  const cidrs = options.apiServerCidrs ?? [];
  if (cidrs.length === 0) {
    platformWarning(scope, 'cdk-portable-platform:KubernetesPlatform:apiServerCidrs',
      'the credential generator Job may reach any address on the API server ports, since the API server\'s address is unknown at synthesis: ' +
      'set credentials: CredentialProvisioning.generatorJob({ apiServerCidrs }) to the addresses of `kubectl get endpoints kubernetes -n default`');
  }
  const networkPolicy = typedKubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata: metadata(base),
    spec: {
      podSelector: { matchLabels: platform.selectorLabels(base, scope) },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{
        to: (cidrs.length > 0 ? cidrs : ['0.0.0.0/0', '::/0']).map(cidr => ({ ipBlock: { cidr } })),
        ports: (options.apiServerPorts ?? GENERATOR_JOB_DEFAULTS.apiServerPorts).map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
      }],
    },
  });
  return { serviceAccount, role, roleBinding, script, job, networkPolicy };
}
