import { Duration, Size } from 'aws-cdk-lib';
import { ServiceClusterProps } from './props';
import { RolloutStrategy } from './rollout-strategy';
import { resolveSidecar, SidecarSpec } from './sidecars';
import { PlatformProfile } from '../platform/profile';
import { PlatformSecret } from '../platform/secret';

/** ServiceClusterProps with every default applied: what both renderers read. */
export interface ServiceClusterSpec {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, PlatformSecret>;
  /** Plain variables exempt from the credential check. */
  readonly notCredentials: string[];
  readonly sidecars: SidecarSpec[];
  readonly podLabels: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  readonly command?: string[];
  readonly args?: string[];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  readonly targetMemoryUtilization: number;
  readonly targetRequestsPerSecond?: number;
  readonly health: {
    readonly path: string;
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
    readonly startupGraceSeconds: number;
  };
  readonly shutdownGraceSeconds: number;
  readonly metrics: { readonly path: string; readonly port: number };
  readonly runAsUser: number;
  /** The SLO-gated canary, when chosen; undefined for a rolling update. */
  readonly canary?: CanarySpec;
}

/** The SLO-gated canary with every default applied. */
export interface CanarySpec {
  readonly weights: number[];
  readonly stepSeconds: number;
  readonly analysisIntervalSeconds: number;
  /** Whether `weights`, `stepDuration` or `analysisInterval` were given (AWS cannot honour them). */
  readonly stepsGiven: boolean;
}

export const SERVICE_DEFAULTS = {
  port: 8080,
  cpu: 0.5,
  memory: Size.mebibytes(1024),
  minReplicas: 2,
  maxReplicas: 10,
  targetCpuUtilization: 70,
  targetMemoryUtilization: 80,
  healthPath: '/healthz',
  interval: Duration.seconds(10),
  timeout: Duration.seconds(5),
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  startupGracePeriod: Duration.seconds(60),
  shutdownGracePeriod: Duration.seconds(30),
  metricsPath: '/metrics',
  runAsUser: 65532,
  canaryWeights: [20, 50, 80],
  canaryStep: Duration.minutes(5),
  canaryAnalysisInterval: Duration.minutes(1),
};

/** What the DEVELOPMENT profile changes: one replica (a warning says so), a quarter vCPU, 512 MiB. */
export const SERVICE_DEVELOPMENT_DEFAULTS = { minReplicas: 1, maxReplicas: 3, cpu: 0.25, memory: Size.mebibytes(512) };

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props always give the same spec. */
export function resolveServiceClusterSpec(name: string, props: ServiceClusterProps, profile = PlatformProfile.PRODUCTION): ServiceClusterSpec {
  const d = profile === PlatformProfile.DEVELOPMENT ? { ...SERVICE_DEFAULTS, ...SERVICE_DEVELOPMENT_DEFAULTS } : SERVICE_DEFAULTS;
  const port = props.port ?? d.port;
  const health = props.healthCheck;
  return {
    name,
    image: props.image,
    port,
    cpu: props.cpu ?? d.cpu,
    memoryMiB: (props.memory ?? d.memory).toMebibytes(),
    environment: { ...props.environment },
    secrets: { ...props.secrets },
    notCredentials: [...props.notCredentials ?? []],
    sidecars: (props.sidecars ?? []).map(s => resolveSidecar(s, props.runAsUser ?? d.runAsUser)),
    podLabels: { ...props.podLabels },
    podAnnotations: { ...props.podAnnotations },
    command: props.command,
    args: props.args,
    minReplicas: props.minReplicas ?? d.minReplicas,
    maxReplicas: props.maxReplicas ?? Math.max(d.maxReplicas, props.minReplicas ?? 0),
    targetCpuUtilization: props.targetCpuUtilization ?? d.targetCpuUtilization,
    targetMemoryUtilization: props.targetMemoryUtilization ?? d.targetMemoryUtilization,
    targetRequestsPerSecond: props.targetRequestsPerSecond,
    health: {
      path: health?.path ?? d.healthPath,
      intervalSeconds: (health?.interval ?? d.interval).toSeconds(),
      timeoutSeconds: (health?.timeout ?? d.timeout).toSeconds(),
      healthyThreshold: health?.healthyThreshold ?? d.healthyThreshold,
      unhealthyThreshold: health?.unhealthyThreshold ?? d.unhealthyThreshold,
      startupGraceSeconds: (health?.startupGracePeriod ?? d.startupGracePeriod).toSeconds(),
    },
    shutdownGraceSeconds: (props.shutdownGracePeriod ?? d.shutdownGracePeriod).toSeconds(),
    metrics: { path: props.metrics?.path ?? d.metricsPath, port: props.metrics?.port ?? port },
    runAsUser: props.runAsUser ?? d.runAsUser,
    canary: resolveCanary(props.rollout ?? RolloutStrategy.rollingUpdate()),
  };
}

function resolveCanary(strategy: RolloutStrategy): CanarySpec | undefined {
  if (strategy.strategyType !== 'slo-gated-canary') return undefined;
  const o = strategy.canaryOptions;
  return {
    weights: [...o.weights ?? SERVICE_DEFAULTS.canaryWeights],
    stepSeconds: (o.stepDuration ?? SERVICE_DEFAULTS.canaryStep).toSeconds(),
    analysisIntervalSeconds: (o.analysisInterval ?? SERVICE_DEFAULTS.canaryAnalysisInterval).toSeconds(),
    stepsGiven: o.weights !== undefined || o.stepDuration !== undefined || o.analysisInterval !== undefined,
  };
}
