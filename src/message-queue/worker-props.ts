import { Duration, Size } from 'aws-cdk-lib';
import { MessageQueue } from './message-queue';
import { PlatformSecret } from '../platform/secret';

/**
 * Kubernetes-only tuning of a QueueWorker; ignored when rendering to AWS.
 */
export interface QueueWorkerKubernetesOptions {
  /**
   * Scale on queue depth with a KEDA `ScaledObject` (KEDA must be installed). Set false on clusters
   * without KEDA: a HorizontalPodAutoscaler on CPU (`targetCpuUtilization`) scales the workers instead.
   *
   * @default true
   */
  readonly keda?: boolean;
  /**
   * Namespace of the KEDA operator, admitted to the broker to read the queue depth.
   *
   * @default 'keda'
   */
  readonly kedaNamespace?: string;
  /**
   * Average CPU utilization (percent of the request) the fallback autoscaler keeps workers at (keda: false).
   *
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

/**
 * Props of a QueueWorker: a background process with no HTTP port that consumes a MessageQueue and
 * scales on its depth.
 */
export interface QueueWorkerProps {
  /** Container image, pinned by tag (not `latest`) or digest. */
  readonly image: string;
  /** The queue this worker consumes (granted with `grantConsume`). */
  readonly queue: MessageQueue;
  /**
   * Command that exits 0 while the worker is healthy (container health check on AWS, liveness and
   * readiness probes on Kubernetes), e.g. `['/app/worker', 'healthcheck']`.
   */
  readonly healthCheckCommand: string[];
  /**
   * Name of the worker in DNS, logs and metrics (a DNS label), also its broker user name.
   *
   * @default the construct id in kebab-case
   */
  readonly serviceName?: string;
  /**
   * vCPUs per replica (a Fargate size on AWS).
   *
   * @default 0.5
   */
  readonly cpu?: number;
  /**
   * Memory per replica.
   *
   * @default Size.mebibytes(1024)
   */
  readonly memory?: Size;
  /**
   * Plain environment variables. Credentials belong in `secrets`.
   *
   * @default none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Environment variables read from secrets at start-up.
   *
   * @default none
   */
  readonly secrets?: { [name: string]: PlatformSecret };
  /**
   * Overrides the image's entrypoint.
   *
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Fewest replicas; two keep messages moving through the loss of a zone or node.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1)
   */
  readonly minReplicas?: number;
  /**
   * Most replicas.
   *
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * Messages waiting per replica that autoscaling aims for (backlog per task).
   *
   * @default 100
   */
  readonly targetBacklogPerReplica?: number;
  /**
   * Time a stopping replica gets to finish the messages it is processing (ECS stopTimeout, at most
   * 120 s on Fargate; Kubernetes terminationGracePeriodSeconds). Keep it below the queue's visibility timeout.
   *
   * @default 60 seconds, or 5 seconds less than the queue's visibility timeout when that is shorter
   */
  readonly shutdownGracePeriod?: Duration;
  /**
   * Numeric user (and group) id the container runs as.
   *
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: QueueWorkerKubernetesOptions;
}
