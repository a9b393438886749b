import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MessageQueue } from './message-queue';
import { renderQueueWorkerOnAws } from './worker-aws';
import { WorkerHandle } from './worker-handle';
import { renderQueueWorkerOnKubernetes } from './worker-kubernetes';
import { QueueWorkerProps } from './worker-props';
import { QueueWorkerAwsResources, QueueWorkerKubernetesResources } from './worker-resources';
import { resolveQueueWorkerSpec, validateQueueWorker } from './worker-spec';
import { invalidPropMessage, PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { dnsLabelFromId } from '../platform/names';
import { NetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';
import { PlatformMetric } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { IQueueClient } from '../platform/queue-client';
import { PlatformSecret } from '../platform/secret';
import { SecretFileMounts } from '../platform/secret-files';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { EnvironmentVariableOptions } from '../service-cluster/props';
import { VariableNames } from '../service-cluster/variable-names';

/**
 * Background workers with no HTTP port that consume a MessageQueue and scale on its depth.
 *
 * Under an aws-cdk-lib `Stack`: an ECS Fargate service without a load balancer, scaled by target
 * tracking on backlog per task (metric math over the SQS depth and the running task count). Under a
 * cdk8s `Chart`: a Deployment scaled by a KEDA ScaledObject on the RabbitMQ queue length, or a CPU
 * HorizontalPodAutoscaler on clusters without KEDA. A stopping replica gets `shutdownGracePeriod`
 * to finish the messages it holds. The worker is granted `grantConsume` on its queue.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class QueueWorker extends Construct implements IPlatformClient, IQueueClient {
  /** Name in DNS, logs and metrics; the broker user name on Kubernetes. */
  public readonly serviceName: string;
  /** Which target this worker rendered to. */
  public readonly target: PlatformTarget;
  /** Network identity of the worker's replicas. */
  public readonly networkIdentity: NetworkPeer;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: QueueWorkerAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: QueueWorkerKubernetesResources;
  private readonly handle: WorkerHandle<unknown>;
  private readonly consumedQueue: MessageQueue;
  /** Every variable name set so far, plain or secret: each may be set once. */
  private readonly variableNames: VariableNames;
  private secretFiles?: SecretFileMounts;

  constructor(scope: Construct, id: string, props: QueueWorkerProps) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const spec = resolveQueueWorkerSpec(effective.serviceName ?? dnsLabelFromId(id), effective, effective.queue.visibilityTimeoutSeconds,
      PlatformProfile.of(this).allowsReducedAvailability);
    const problems = validateQueueWorker(this, spec, this.target, effective.queue.visibilityTimeoutSeconds);
    this.variableNames = new VariableNames(this, [...Object.keys(spec.environment), ...Object.keys(spec.secrets)]);
    if (this.target === PlatformTarget.KUBERNETES && !spec.keda && spec.minReplicas < 1) {
      problems.push(invalidPropMessage(this, 'minReplicas', 'must be at least 1 without KEDA', spec.minReplicas,
        'a HorizontalPodAutoscaler cannot scale to zero: set minReplicas ≥ 1, or kubernetes.keda: true'));
    }
    throwIfInvalid(problems);
    this.serviceName = spec.name;

    if (this.target === PlatformTarget.AWS) {
      const handle = renderQueueWorkerOnAws(this, spec, effective.queue);
      this.aws = handle.resources;
      this.handle = handle;
    } else {
      const handle = renderQueueWorkerOnKubernetes(this, spec, effective.queue);
      this.kubernetes = handle.resources;
      this.handle = handle;
    }
    this.networkIdentity = this.handle.networkIdentity;
    PlatformTopology.of(this).addComponent(this, { kind: 'worker', name: spec.name });
    effective.queue.grantConsume(this);
    this.consumedQueue = effective.queue;
    if (this.aws) this.configureAws(this.aws, effective);
    if (this.kubernetes) this.configureKubernetes(this.kubernetes, effective);
  }

  /** The task role on AWS, for `grant*` methods. Kubernetes has no IAM. */
  public get grantPrincipal(): iam.IPrincipal {
    if (!this.aws) {
      throw new PlatformValidationError(`${this.node.path}: grantPrincipal is not supported on kubernetes: IAM grants exist on aws only`);
    }
    return this.aws.taskDefinition.taskRole;
  }

  /**
   * Adds a plain environment variable. Credentials belong in `addSecret`. A name already set (as a
   * variable or a secret) is refused on both targets, as on a ServiceCluster.
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
   * Messages waiting for this worker: its queue's `metricBacklog()` (per queue in PromQL on
   * Kubernetes, SQS's visible messages in CloudWatch on AWS).
   */
  public metricBacklog(): PlatformMetric {
    return this.consumedQueue.metricBacklog();
  }

  /** Messages this worker failed on every delivery attempt: its queue's `metricDeadLetteredMessages()`. */
  public metricDeadLetteredMessages(): PlatformMetric {
    return this.consumedQueue.metricDeadLetteredMessages();
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: QueueWorkerProps): QueueWorkerProps {
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
  protected configureAws(_resources: QueueWorkerAwsResources, _props: QueueWorkerProps): void {}

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
  protected configureKubernetes(_resources: QueueWorkerKubernetesResources, _props: QueueWorkerProps): void {}
}
