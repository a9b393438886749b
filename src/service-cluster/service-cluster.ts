import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { renderServiceClusterOnAws } from './aws';
import { renderServiceClusterOnKubernetes } from './kubernetes';
import { serviceUtilizationMetric } from './metrics';
import { podMetadataProblems } from './pod-metadata';
import { EnvironmentVariableOptions, ServiceClusterProps } from './props';
import { ServiceClusterAwsResources, ServiceClusterKubernetesResources } from './resources';
import { RolloutStrategy } from './rollout-strategy';
import { resolveSidecar, SidecarContainer, sidecarProblems, SidecarSpec } from './sidecars';
import { resolveServiceClusterSpec } from './spec';
import { serviceClusterWarnings, validateServiceCluster } from './validation';
import { VariableNames } from './variable-names';
import { WorkloadHandle } from './workload-handle';
import { AccessPurpose, allowClientOrMetricsFrom, AllowFromOptions } from '../platform/access-purpose';
import { DeploymentGate } from '../platform/deployment-gate';
import { EcsTasks } from '../platform/ecs-tasks';
import { Endpoint } from '../platform/endpoint';
import { invalidPropMessage, throwIfInvalid, PlatformValidationError } from '../platform/errors';
import { fargateSizeFor } from '../platform/fargate-sizes';
import { errorRateMetric, HttpMetricSource, latencyMetric, requestRateMetric } from '../platform/http-metrics';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer, NetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';
import { PlatformMetric, prometheusSeries } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { IQueueClient } from '../platform/queue-client';
import { PlatformSecret } from '../platform/secret';
import { SecretFileMounts } from '../platform/secret-files';
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
export class ServiceCluster extends Construct implements INetworkPeer, iam.IGrantable, IPlatformClient, IQueueClient {
  /** Name in DNS, logs and metrics. */
  public readonly serviceName: string;
  /** Which target this service rendered to. */
  public readonly target: PlatformTarget;
  /** How new versions replace the running one. */
  public readonly rolloutStrategy: RolloutStrategy;
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
  private secretFiles?: SecretFileMounts;
  /** Names of the sidecars, so a second one with the same name is refused. */
  private readonly sidecarNames: string[] = [];
  private readonly runAsUser: number;
  /** vCPU and memory of the application and its sidecars so far. */
  private taskLoad: { cpu: number; memoryMiB: number };

  constructor(scope: Construct, id: string, props: ServiceClusterProps) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const profile = PlatformProfile.of(this);
    const spec = resolveServiceClusterSpec(effective.serviceName ?? dnsLabelFromId(id), effective, profile);
    this.variableNames = new VariableNames(this, [...Object.keys(spec.environment), ...Object.keys(spec.secrets)]);
    throwIfInvalid([
      ...validateServiceCluster(this, spec, this.target),
      ...podMetadataProblems(this, spec.podLabels, spec.podAnnotations),
      ...spec.sidecars.flatMap((sidecar, i) => sidecarProblems(this, sidecar, spec.sidecars.slice(0, i).map(s => s.name))),
      ...(this.target === PlatformTarget.KUBERNETES
        ? annotationKeyProblems(this, 'kubernetes.serviceAccountAnnotations', effective.kubernetes?.serviceAccountAnnotations) : []),
    ]);
    serviceClusterWarnings(spec, profile).forEach(w => platformWarning(this, w.id, w.message));
    this.serviceName = spec.name;
    this.runAsUser = spec.runAsUser;
    this.taskLoad = { cpu: spec.cpu, memoryMiB: spec.memoryMiB };
    spec.sidecars.forEach(sidecar => this.claimSidecar(sidecar));
    this.rolloutStrategy = effective.rollout ?? RolloutStrategy.rollingUpdate();

    if (this.target === PlatformTarget.AWS) {
      const handle = renderServiceClusterOnAws(this, spec, effective.aws);
      this.aws = handle.resources;
      this.handle = handle;
      spec.sidecars.forEach(sidecar => handle.addSidecar(sidecar));
      this.configureAws(handle.resources, effective);
    } else {
      const handle = renderServiceClusterOnKubernetes(this, spec, effective.kubernetes);
      this.kubernetes = handle.resources;
      this.handle = handle;
      spec.sidecars.forEach(sidecar => handle.addSidecar(sidecar));
      this.configureKubernetes(handle.resources, effective);
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

  /**
   * Admits `peer` to one purpose's port (security-group rule on AWS, NetworkPolicy on Kubernetes):
   *
   * - `AccessPurpose.CLIENT` (default): the service port (`endpoint`; the internal load balancer
   *   on AWS), never the metrics port;
   * - `AccessPurpose.METRICS`: the metrics port alone, for a scraper such as Prometheus.
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    allowClientOrMetricsFrom(this, this.handle, peer, options, { client: 'the service port', metrics: 'the metrics port', protocol: 'http' });
  }

  /**
   * Admits `peer` (e.g. a Prometheus) to the metrics port alone.
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.METRICS })`
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.allowFrom(peer, { purpose: AccessPurpose.METRICS });
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
   * Where an observability stack watching this service gates its deployments by the SLO.
   *
   * @internal
   */
  public _deploymentGate(): DeploymentGate | undefined {
    return this.handle.deploymentGate;
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
   * Adds a container beside the application in every task (AWS) or pod (Kubernetes), as the
   * `sidecars` prop does: on AWS the task grows to the smallest Fargate size that fits.
   */
  public addSidecar(sidecar: SidecarContainer): void {
    const resolved = resolveSidecar(sidecar, this.runAsUser);
    throwIfInvalid(sidecarProblems(this, resolved, this.sidecarNames));
    this.claimSidecar(resolved);
    this.handle.addSidecar(resolved);
  }

  /** Records a valid sidecar's name and load; on AWS the task must still fit a Fargate size. */
  private claimSidecar(sidecar: SidecarSpec): void {
    this.sidecarNames.push(sidecar.name);
    this.taskLoad = { cpu: this.taskLoad.cpu + sidecar.cpu, memoryMiB: this.taskLoad.memoryMiB + sidecar.memoryMiB };
    if (this.target === PlatformTarget.AWS && !fargateSizeFor(this.taskLoad.cpu, this.taskLoad.memoryMiB)) {
      throw new PlatformValidationError(invalidPropMessage(this, `sidecars[${sidecar.name}]`, 'makes the task larger than Fargate offers',
        `${this.taskLoad.cpu} vCPU, ${this.taskLoad.memoryMiB} MiB in all`, 'keep the application and its sidecars within 16 vCPU and 120 GiB'));
    }
  }

  /**
   * Mounts a Secret key as a read-only file in the container, at `<directory>/<key>`, and returns
   * that path (Kubernetes only: ECS passes secrets as environment variables, so AWS fails with a
   * message). Data stores use it to hand clients a certificate authority. The same file twice is
   * a no-op; another Secret key in a directory already used is refused.
   */
  public addSecretFile(secret: PlatformSecret, directory: string): string {
    this.secretFiles ??= new SecretFileMounts(this, this.kubernetes?.deployment);
    return this.secretFiles.mount(secret, directory);
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: ServiceClusterProps): ServiceClusterProps {
    return props;
  }

  /**
   * Hook: adjusts the AWS resources after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureAws(_resources: ServiceClusterAwsResources, _props: ServiceClusterProps): void {}

  /**
   * Hook: adjusts the Kubernetes objects after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureKubernetes(_resources: ServiceClusterKubernetesResources, _props: ServiceClusterProps): void {}

  /**
   * Any series this service's Prometheus client exports, e.g. `prometheusMetric('jobs_processed_total')`
   * (PromQL `jobs_processed_total{job="<name>"}`): the stack's Prometheus on Kubernetes, Amazon
   * Managed Service for Prometheus on AWS.
   */
  public prometheusMetric(metricName: string): PlatformMetric {
    return prometheusSeries(this, this.metricsSource.job, metricName);
  }

  /** Requests per second over 5 minutes (PromQL; on AWS also the target group's RequestCount per second). */
  public metricRequestRate(): PlatformMetric {
    return requestRateMetric(this.httpMetricSource());
  }

  /**
   * Fraction of requests answered with a 5xx over 5 minutes (0–1): the series `SloErrorRateHigh`
   * alerts on; on AWS also the target group's 5xx count over its request count.
   */
  public metricErrorRate(): PlatformMetric {
    return errorRateMetric(this.httpMetricSource());
  }

  /** p99 latency over 5 minutes, in seconds (PromQL histogram; on AWS also the target group's TargetResponseTime p99). */
  public metricLatencyP99(): PlatformMetric {
    return latencyMetric(this.httpMetricSource(), 0.99);
  }

  /** CPU of each instance as a fraction of its `cpu` (0–1), as `ServiceCpuHigh` measures it; on AWS also ECS's CPUUtilization / 100. */
  public metricCpuUtilization(): PlatformMetric {
    return serviceUtilizationMetric('cpu', this.metricsSource.job, this.metricsSource.cpuCores!, this._ecsTasks());
  }

  /** Resident memory of each instance as a fraction of its `memory` (0–1), as `ServiceMemoryHigh` measures it; on AWS also ECS's MemoryUtilization / 100. */
  public metricMemoryUtilization(): PlatformMetric {
    return serviceUtilizationMetric('memory', this.metricsSource.job, this.metricsSource.memoryBytes!, this._ecsTasks());
  }

  private httpMetricSource(): HttpMetricSource {
    return { job: this.metricsSource.job, names: service => service, loadBalancer: this._ecsTasks()?.targetGroupDimensions };
  }
}
