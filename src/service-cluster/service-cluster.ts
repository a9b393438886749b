import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { renderServiceClusterOnAws } from './aws';
import { renderServiceClusterOnKubernetes } from './kubernetes';
import { EnvironmentVariableOptions, ServiceClusterProps } from './props';
import { ServiceClusterAwsResources, ServiceClusterKubernetesResources } from './resources';
import { resolveServiceClusterSpec } from './spec';
import { serviceClusterWarnings, validateServiceCluster } from './validation';
import { VariableNames } from './variable-names';
import { WorkloadHandle } from './workload-handle';
import { EcsTasks } from '../platform/ecs-tasks';
import { Endpoint } from '../platform/endpoint';
import { throwIfInvalid, PlatformValidationError } from '../platform/errors';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer, NetworkPeer } from '../platform/network';
import { PlatformProfile } from '../platform/profile';
import { IQueueClient } from '../platform/queue-client';
import { PlatformSecret } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { annotationKeyProblems } from '../platform/validation';
import { platformWarning } from '../platform/warnings';

/**
 * A fleet of identical, stateless HTTP service replicas with autoscaling, health checks, graceful
 * shutdown and safe rollouts.
 *
 * Under an aws-cdk-lib `Stack` it renders an ECS Fargate service behind an internal load balancer
 * with a Cloud Map name; under a cdk8s `Chart` it renders a Deployment, Service,
 * HorizontalPodAutoscaler, PodDisruptionBudget, ServiceAccount and NetworkPolicy.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class ServiceCluster extends Construct implements INetworkPeer, iam.IGrantable, IQueueClient {
  /** Name in DNS, logs and metrics. */
  public readonly serviceName: string;
  /** Which target this service rendered to. */
  public readonly target: PlatformTarget;
  /** Where clients reach the service. */
  public readonly endpoint: Endpoint;
  /** Where the service's Prometheus metrics are, for the observability stack. */
  public readonly metricsSource: MetricsSource;
  /** Network identity of the service's replicas, for other constructs' `allowFrom`. */
  public readonly networkIdentity: NetworkPeer;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: ServiceClusterAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: ServiceClusterKubernetesResources;
  private readonly handle: WorkloadHandle<unknown>;
  /** Every variable name set so far (plain and secret), so that none is set twice. */
  private readonly variableNames: VariableNames;

  constructor(scope: Construct, id: string, props: ServiceClusterProps) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const profile = PlatformProfile.of(this);
    const spec = resolveServiceClusterSpec(effective.serviceName ?? dnsLabelFromId(id), effective, profile);
    this.variableNames = new VariableNames(this, [...Object.keys(spec.environment), ...Object.keys(spec.secrets)]);
    throwIfInvalid([
      ...validateServiceCluster(this, spec, this.target),
      ...(this.target === PlatformTarget.KUBERNETES
        ? annotationKeyProblems(this, 'kubernetes.serviceAccountAnnotations', effective.kubernetes?.serviceAccountAnnotations) : []),
    ]);
    serviceClusterWarnings(spec, profile).forEach(w => platformWarning(this, w.id, w.message));
    this.serviceName = spec.name;

    if (this.target === PlatformTarget.AWS) {
      const handle = renderServiceClusterOnAws(this, spec, effective.aws);
      this.aws = handle.resources;
      this.handle = handle;
      this.configureAws(handle.resources);
    } else {
      const handle = renderServiceClusterOnKubernetes(this, spec, effective.kubernetes);
      this.kubernetes = handle.resources;
      this.handle = handle;
      this.configureKubernetes(handle.resources);
    }
    this.endpoint = this.handle.endpoint;
    this.networkIdentity = this.handle.networkIdentity;
    this.metricsSource = {
      job: spec.name,
      kind: 'service',
      port: spec.metrics.port,
      path: spec.metrics.path,
      host: this.endpoint.host,
      selector: this.networkIdentity.podLabels ?? {},
      namespace: this.networkIdentity.namespace ?? '',
      cpuCores: spec.cpu,
      memoryBytes: spec.memoryMiB * 1024 * 1024,
    };
    PlatformTopology.of(this).addComponent(this, { kind: 'service', name: spec.name });
    PlatformTopology.of(this).addInternalConnection(this, 'the internal load balancer to its tasks');
  }

  /**
   * The task role on AWS, for `grant*` methods of AWS resources. Kubernetes has no IAM: use
   * `kubernetes.serviceAccountAnnotations` (e.g. IAM roles for service accounts) there.
   */
  public get grantPrincipal(): iam.IPrincipal {
    if (!this.aws) {
      throw new PlatformValidationError(`${this.node.path}: grantPrincipal is not supported on kubernetes: ` +
        'IAM grants exist on aws only; on kubernetes bind an identity with kubernetes.serviceAccountAnnotations');
    }
    return this.aws.taskRole;
  }

  /** Admits `peer` to the service's port (security-group rule on AWS, NetworkPolicy on Kubernetes). */
  public allowFrom(peer: INetworkPeer): void {
    this.handle.allowFrom(peer.networkIdentity);
    PlatformTopology.of(this).addNetworkConnection(this, peer, 'http');
  }

  /**
   * Admits `peer` (e.g. a Prometheus) to the metrics port alone. `allowFrom` admits to the service
   * port only.
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.handle.allowMetricsFrom(peer.networkIdentity);
    PlatformTopology.of(this).addMetricsConnection(this, peer);
  }

  /**
   * The ECS tasks, for a collector that scrapes each task (undefined on Kubernetes).
   *
   * @internal
   */
  public _ecsTasks(): EcsTasks | undefined {
    return this.handle.ecsTasks;
  }

  /**
   * Adds a plain environment variable. Credentials belong in `addSecret`. A name already set (as a
   * variable or a secret) is refused on both targets.
   */
  public addEnvironment(name: string, value: string, options: EnvironmentVariableOptions = {}): void {
    this.variableNames.claimEnvironment(name, value, options);
    this.handle.addEnvironment(name, value);
  }

  /** Adds an environment variable read from a secret at start-up. A name already set is refused. */
  public addSecret(name: string, secret: PlatformSecret): void {
    this.variableNames.claimSecret(name, secret);
    this.handle.addSecret(name, secret);
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render.
   * Runs in the constructor, before validation, so subclass fields are not yet initialised.
   */
  protected applyDefaults(props: ServiceClusterProps): ServiceClusterProps {
    return props;
  }

  /** Hook: adjust the AWS resources after they are rendered (tags, sidecars, extra policies…). */
  protected configureAws(_resources: ServiceClusterAwsResources): void {}

  /** Hook: adjust the Kubernetes objects after they are rendered (annotations, sidecars…). */
  protected configureKubernetes(_resources: ServiceClusterKubernetesResources): void {}
}
