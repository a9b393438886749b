import { Duration, Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RolloutStrategy } from './rollout-strategy';
import { SidecarContainer } from './sidecars';
import { PlatformSecret } from '../platform/secret';

/**
 * An HTTP health check that drives startup, readiness and liveness.
 */
export interface HealthCheck {
  /** HTTP path that answers 2xx/3xx when the instance is healthy. */
  readonly path: string;
  /**
   * Time between checks.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Time to wait for an answer; must be shorter than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive successes before an instance receives traffic.
   *
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before an instance is taken out of service (and then restarted).
   *
   * @default 3
   */
  readonly unhealthyThreshold?: number;
  /**
   * How long a new instance may take to start before liveness failures count.
   *
   * @default Duration.seconds(60)
   */
  readonly startupGracePeriod?: Duration;
}

/**
 * Where the service serves Prometheus-format metrics.
 */
export interface MetricsEndpointOptions {
  /**
   * HTTP path of the metrics.
   *
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Port of the metrics.
   *
   * @default the service port
   */
  readonly port?: number;
}

/**
 * AWS-only tuning of a ServiceCluster; ignored when rendering to Kubernetes.
 */
export interface ServiceClusterAwsOptions {
  /**
   * Retention of the service's log group.
   *
   * @default the platform's log retention
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Command of the ECS container health check.
   *
   * @default probes `healthCheck.path` on localhost with wget, or curl when wget is absent
   */
  readonly containerHealthCheckCommand?: string[];
  /**
   * CPU architecture of the tasks.
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/**
 * Kubernetes-only tuning of a ServiceCluster; ignored when rendering to AWS.
 */
export interface ServiceClusterKubernetesOptions {
  /**
   * Mount the ServiceAccount token into the pods (only for services that call the Kubernetes API).
   *
   * @default false
   */
  readonly mountServiceAccountToken?: boolean;
  /**
   * Annotations of the ServiceAccount (e.g. `eks.amazonaws.com/role-arn` for IAM roles for service accounts).
   *
   * @default none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
  /**
   * Command run before SIGTERM so that endpoints stop sending traffic first.
   *
   * @default ['/bin/sh', '-c', 'sleep 5']
   */
  readonly preStopCommand?: string[];
  /**
   * Per-pod metric (served by a custom-metrics adapter such as prometheus-adapter) used when
   * `targetRequestsPerSecond` is set.
   *
   * @default 'http_requests_per_second'
   */
  readonly requestRateMetric?: string;
  /**
   * Size of the writable `/tmp` volume.
   *
   * @default Size.mebibytes(256)
   */
  readonly tmpVolumeSize?: Size;
}

/**
 * Props of a ServiceCluster: a stateless HTTP service with replicas, autoscaling, health checks and
 * graceful shutdown. The same props mean the same thing on AWS and on Kubernetes.
 */
export interface ServiceClusterProps {
  /** Container image, pinned by tag (not `latest`) or digest, e.g. `ghcr.io/acme/users:1.4.2`. */
  readonly image: string;
  /**
   * Name of the service in DNS, logs and metrics (a DNS label).
   *
   * @default the construct id in kebab-case
   */
  readonly serviceName?: string;
  /**
   * Port the container listens on (1024-65535: the container runs as non-root).
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * vCPUs per replica.
   *
   * @default 0.5 (PlatformProfile.DEVELOPMENT: 0.25)
   */
  readonly cpu?: number;
  /**
   * Memory per replica.
   *
   * @default Size.mebibytes(1024) (PlatformProfile.DEVELOPMENT: 512 MiB)
   */
  readonly memory?: Size;
  /**
   * Plain environment variables. Credentials do not belong here: use `secrets`.
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
   * Names of plain `environment` variables that are not credentials although their name or value
   * looks like one (e.g. `SESSION_TOKEN` holding a cookie name). Each listed variable skips the
   * credential check; nothing else does.
   *
   * @default every plain variable is checked
   */
  readonly notCredentials?: string[];
  /**
   * Containers beside the application in every task (AWS) or pod (Kubernetes); `addSidecar` adds
   * more after construction. On AWS the task grows to the smallest Fargate size that fits them all.
   *
   * @default none
   */
  readonly sidecars?: SidecarContainer[];
  /**
   * Labels of every replica: on Kubernetes the pod template's labels, on AWS tags of the ECS service,
   * propagated to its tasks. Keys under `app.kubernetes.io/` and `cdk-portable-platform.io/` are the
   * platform's and are refused.
   *
   * @default none
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Annotations of every replica: on Kubernetes the pod template's annotations, on AWS Docker labels
   * of the application container.
   *
   * @default none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Overrides the image's entrypoint.
   *
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Overrides the image's arguments.
   *
   * @default the image's arguments
   */
  readonly args?: string[];
  /**
   * Fewest replicas; two or more keep the service up through a zone or node failure.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly minReplicas?: number;
  /**
   * Most replicas autoscaling may run.
   *
   * @default 10 (PlatformProfile.DEVELOPMENT: 3)
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU utilization (percent of the requested CPU) autoscaling keeps replicas at.
   *
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * Average memory utilization (percent) autoscaling keeps replicas at.
   *
   * @default 80
   */
  readonly targetMemoryUtilization?: number;
  /**
   * Requests per second per replica autoscaling keeps replicas at.
   *
   * @default no request-rate scaling
   */
  readonly targetRequestsPerSecond?: number;
  /**
   * Health check.
   *
   * @default { path: '/healthz' }
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Time a replica gets to finish in-flight requests after it is told to stop.
   *
   * @default Duration.seconds(30)
   */
  readonly shutdownGracePeriod?: Duration;
  /**
   * Where the service serves Prometheus metrics.
   *
   * @default { path: '/metrics' } on the service port
   */
  readonly metrics?: MetricsEndpointOptions;
  /**
   * Numeric user (and group) id the container runs as.
   *
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * How a new version replaces the running one. `RolloutStrategy.sloGatedCanary()` gates it by the
   * service's SLO on both targets (an Argo Rollouts canary on Kubernetes, ECS deployment alarms on AWS).
   *
   * @default RolloutStrategy.rollingUpdate()
   */
  readonly rollout?: RolloutStrategy;
  /**
   * AWS-only tuning.
   *
   * @default none
   */
  readonly aws?: ServiceClusterAwsOptions;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: ServiceClusterKubernetesOptions;
}

/**
 * Options of `ServiceCluster.addEnvironment`.
 */
export interface EnvironmentVariableOptions {
  /**
   * The value is not a credential although its name or value looks like one: skip the check.
   *
   * @default false
   */
  readonly notCredential?: boolean;
}
