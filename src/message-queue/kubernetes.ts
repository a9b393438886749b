import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { interNodeTlsErlArgs, renderInterNodeTlsConfig } from './inter-node-tls';
import { QueueHandle } from './queue-handle';
import {
  AMQPS_PORT, DIST_PORT, EPMD_PORT, exchangeName, MANAGEMENT_PORT, passwordEnvName, PROMETHEUS_PORT, QueueUser,
  renderDefinitionsTemplate, renderEnabledPlugins, renderRabbitmqConf, renderStartScript, VHOST,
} from './rabbitmq-config';
import { MessageQueueKubernetesResources } from './resources';
import { MessageQueueSpec, workQueueNames } from './spec';
import { Endpoint } from '../platform/endpoint';
import { kubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { claimRetentionPolicy, dataVolumeClaimTemplate, restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';
import { NetworkPeer } from '../platform/network';
import { CredentialFormat } from '../platform/owned-credentials';
import { PlatformSecret } from '../platform/secret';

type Json = { readonly [key: string]: any };

const CONFIG_DIR = '/etc/rabbitmq-platform';
const TLS_DIR = '/etc/rabbitmq-tls';
const COOKIE_DIR = '/etc/rabbitmq-cookie';
const RUN_DIR = '/run/rabbitmq';
const DATA_DIR = '/var/lib/rabbitmq';
/** How long a stopping node waits for every quorum queue to keep a majority without it. */
const QUORUM_WAIT_SECONDS = 600;

/** The Secret holding a broker user's password (created by the user, External Secrets or a Job). */
export function userPasswordSecret(spec: MessageQueueSpec, user: string): PlatformSecret {
  return PlatformSecret.named(`${spec.name}-user-${user}`, 'password');
}

/**
 * Renders the queue as a RabbitMQ cluster from plain manifests, no operator: a StatefulSet of
 * quorum-queue nodes that find each other from a fixed peer list (no Kubernetes API access), a
 * PersistentVolumeClaim per node, AMQPS only, users and queues from a definitions file, Prometheus
 * metrics, a PodDisruptionBudget and NetworkPolicies.
 */
export function renderMessageQueueOnKubernetes(scope: Construct, spec: MessageQueueSpec): QueueHandle<MessageQueueKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  if (spec.kubernetes.erlangCookieOwned) {
    platform.declareOwnedCredential(scope, PlatformSecret.named(spec.kubernetes.erlangCookieSecretName, 'cookie'), CredentialFormat.ERLANG_COOKIE);
  }
  const name = spec.name;
  const nodesService = `${name}-nodes`;
  const selector = platform.selectorLabels(name, scope);
  const metadata = platform.metadata(name, 'message-queue', scope);
  const nodeNames = Array.from({ length: spec.kubernetes.nodes }, (_, i) => `rabbit@${name}-${i}.${platform.serviceHost(nodesService)}`);
  // Clients reach the Service; nodes (and the CLI tools) reach each other by their stable names.
  const tlsDnsNames = [
    ...Array.from({ length: spec.kubernetes.nodes }, (_, i) => `${name}-${i}.${platform.serviceHost(nodesService)}`),
    platform.serviceHost(name), `${name}.${platform.namespace}.svc`, `${name}.${platform.namespace}`, name, 'localhost',
  ];
  platform.declareOwnedCertificate(scope, spec.kubernetes.tlsSecretName, tlsDnsNames);
  // Grants add users after construction: everything derived from them renders at synth.
  const users = new Map<string, QueueUser>();
  const userList = () => [...users.values()].sort((a, b) => a.name.localeCompare(b.name));
  const files = () => ({
    'rabbitmq.conf': renderRabbitmqConf(spec, { nodes: nodeNames, definitionsFile: `${RUN_DIR}/definitions.json`, tlsDir: TLS_DIR }),
    'enabled_plugins': renderEnabledPlugins(),
    'inter_node_tls.config': renderInterNodeTlsConfig(TLS_DIR),
    'definitions.template.json': renderDefinitionsTemplate(spec, userList()),
    'start.sh': renderStartScript(userList(), {
      template: `${CONFIG_DIR}/definitions.template.json`, definitionsFile: `${RUN_DIR}/definitions.json`, cookieFile: `${COOKIE_DIR}/cookie`,
    }),
  });

  const configMap = kubeObject(k8s.KubeConfigMap, scope, 'Config', {
    metadata: platform.metadata(`${name}-config`, 'message-queue', scope), data: Lazy.any({ produce: files }),
  });
  const serviceAccount = kubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', {
    metadata, automountServiceAccountToken: false,
  });

  const diagnostics = (command: string, periodSeconds: number, failureThreshold: number) => ({
    exec: { command: ['rabbitmq-diagnostics', '-q', command] }, periodSeconds, timeoutSeconds: 20, failureThreshold,
  });
  const mib = spec.kubernetes.memoryMiB;
  const rabbitmq: Json = {
    name: 'rabbitmq',
    image: spec.kubernetes.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', `${CONFIG_DIR}/start.sh`],
    env: Lazy.any({
      produce: () => [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'HOME', value: DATA_DIR },
        { name: 'RABBITMQ_USE_LONGNAME', value: 'true' },
        { name: 'RABBITMQ_NODENAME', value: `rabbit@$(POD_NAME).${platform.serviceHost(nodesService)}` },
        { name: 'RABBITMQ_MNESIA_BASE', value: `${DATA_DIR}/mnesia` },
        { name: 'RABBITMQ_DIST_PORT', value: String(DIST_PORT) },
        { name: 'RABBITMQ_ENABLED_PLUGINS_FILE', value: `${CONFIG_DIR}/enabled_plugins` },
        // Node-to-node and CLI-to-node traffic (the probes too) is TLS with the broker certificate.
        { name: 'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS', value: interNodeTlsErlArgs(`${CONFIG_DIR}/inter_node_tls.config`) },
        { name: 'RABBITMQ_CTL_ERL_ARGS', value: interNodeTlsErlArgs(`${CONFIG_DIR}/inter_node_tls.config`) },
        ...userList().map(u => ({ name: passwordEnvName(u.name), valueFrom: { secretKeyRef: userPasswordSecret(spec, u.name)._toSecretKeyRef(scope, 'grant') } })),
      ],
    }),
    ports: [
      { name: 'amqps', containerPort: AMQPS_PORT, protocol: 'TCP' },
      { name: 'dist', containerPort: DIST_PORT, protocol: 'TCP' },
      { name: 'epmd', containerPort: EPMD_PORT, protocol: 'TCP' },
      { name: 'management', containerPort: MANAGEMENT_PORT, protocol: 'TCP' },
      { name: 'metrics', containerPort: PROMETHEUS_PORT, protocol: 'TCP' },
    ],
    resources: { requests: { cpu: `${Math.round(spec.kubernetes.cpu * 1000)}m`, memory: `${mib}Mi` }, limits: { memory: `${mib}Mi` } },
    securityContext: restrictedContainerSecurityContext(),
    startupProbe: diagnostics('ping', 10, 30),
    livenessProbe: diagnostics('ping', 30, 6),
    readinessProbe: diagnostics('check_port_connectivity', 15, 3),
    // A node stops only when every quorum queue keeps a majority without it.
    lifecycle: { preStop: { exec: { command: ['rabbitmq-upgrade', 'await_online_quorum_plus_one', '-t', String(QUORUM_WAIT_SECONDS)] } } },
    volumeMounts: [
      { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
      // Shadows the image's conf.d defaults (a guest user, plain AMQP on 5672).
      { name: 'conf-d', mountPath: '/etc/rabbitmq/conf.d', readOnly: true },
      { name: 'tls', mountPath: TLS_DIR, readOnly: true },
      { name: 'cookie', mountPath: COOKIE_DIR, readOnly: true },
      { name: 'run', mountPath: RUN_DIR },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: DATA_DIR },
    ],
  };

  const statefulSet = kubeObject(k8s.KubeStatefulSet, scope, 'StatefulSet', {
    metadata,
    spec: {
      serviceName: nodesService,
      replicas: spec.kubernetes.nodes,
      // Nodes join from the peer list in any order.
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: claimRetentionPolicy(spec.removalPolicy),
      template: {
        metadata: {
          labels: platform.labelsFor(name, 'message-queue', scope),
          annotations: { 'message-queue.platform/config-checksum': Lazy.any({ produce: () => createHash('sha256').update(JSON.stringify(files())).digest('hex') }) },
        },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(spec.kubernetes.runAsUser),
          topologySpreadConstraints: spreadConstraints(selector),
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
              }],
            },
          },
          terminationGracePeriodSeconds: QUORUM_WAIT_SECONDS + 60,
          containers: [rabbitmq],
          volumes: [
            { name: 'config', configMap: { name: `${name}-config`, defaultMode: 0o444 } },
            { name: 'conf-d', configMap: { name: `${name}-config`, defaultMode: 0o444, items: [{ key: 'rabbitmq.conf', path: '10-platform.conf' }] } },
            { name: 'tls', secret: { secretName: spec.kubernetes.tlsSecretName, defaultMode: 0o440 } },
            { name: 'cookie', secret: { secretName: spec.kubernetes.erlangCookieSecretName, defaultMode: 0o440, items: [{ key: 'cookie', path: 'cookie' }] } },
            { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
          ],
        },
      },
      volumeClaimTemplates: [
        dataVolumeClaimTemplate(platform.labelsFor(name, 'message-queue', scope), platform.storageClassName, spec.kubernetes.storageMiB),
      ],
    },
  });

  const headlessService = kubeObject(k8s.KubeService, scope, 'NodesService', {
    metadata: platform.metadata(nodesService, 'message-queue', scope),
    spec: {
      clusterIP: 'None',
      // Nodes must resolve each other while they start.
      publishNotReadyAddresses: true,
      selector,
      ports: [
        { name: 'amqps', port: AMQPS_PORT, targetPort: 'amqps', protocol: 'TCP' },
        { name: 'dist', port: DIST_PORT, targetPort: 'dist', protocol: 'TCP' },
        { name: 'epmd', port: EPMD_PORT, targetPort: 'epmd', protocol: 'TCP' },
        { name: 'metrics', port: PROMETHEUS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  });
  const service = kubeObject(k8s.KubeService, scope, 'Service', {
    metadata,
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'amqps', port: AMQPS_PORT, targetPort: 'amqps', protocol: 'TCP' }] },
  });
  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });

  const peers = { podSelector: { matchLabels: selector } };
  const clusterPorts = [EPMD_PORT, DIST_PORT].map(port => ({ protocol: 'TCP', port }));
  const ingress: Json[] = [{ from: [peers], ports: clusterPorts }];
  const networkPolicy = kubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata,
    spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress, egress: [{ to: [peers], ports: clusterPorts }] },
  });

  const admit = (peer: NetworkPeer, ports: number[]) => {
    ingress.push({ from: [peer._kubernetesPeer(scope, platform.namespace)], ports: ports.map(port => ({ protocol: 'TCP', port })) });
    for (const port of ports) peer._grantEgress({ podLabels: selector, namespace: platform.namespace, port });
  };
  const queues = workQueueNames(spec);
  const endpoint = new Endpoint(platform.serviceHost(name), AMQPS_PORT, 'amqps');
  return {
    resources: { statefulSet, headlessService, service, configMap, serviceAccount, disruptionBudget, networkPolicy, tlsDnsNames },
    endpoint,
    queueAddresses: queues,
    metricsSource: {
      job: name,
      kind: 'queue',
      port: PROMETHEUS_PORT,
      path: '/metrics',
      host: platform.serviceHost(nodesService),
      selector,
      namespace: platform.namespace,
    },
    allowFrom: peer => admit(peer, [AMQPS_PORT]),
    allowMetricsFrom: peer => admit(peer, [PROMETHEUS_PORT]),
    grant: (client, publish, consume, prefix) => {
      const user = client.serviceName;
      const previous = users.get(user);
      users.set(user, { name: user, publish: publish || !!previous?.publish, consume: consume || !!previous?.consume });
      if (!previous) {
        admit(client.networkIdentity, [AMQPS_PORT]);
        client.addEnvironment(`${prefix}_BROKER`, 'amqp');
        client.addEnvironment(`${prefix}_HOST`, endpoint.host);
        client.addEnvironment(`${prefix}_PORT`, String(endpoint.port));
        client.addEnvironment(`${prefix}_TLS`, 'true');
        client.addEnvironment(`${prefix}_VHOST`, VHOST);
        client.addEnvironment(`${prefix}_USERNAME`, user);
        client.addEnvironment(`${prefix}_EXCHANGE`, exchangeName(spec));
        client.addEnvironment(`${prefix}_QUEUES`, queues.join(','));
        platform.declareOwnedCredential(scope, userPasswordSecret(spec, user), CredentialFormat.PASSWORD);
        client.addSecret(`${prefix}_PASSWORD`, userPasswordSecret(spec, user));
      }
    },
  };
}
