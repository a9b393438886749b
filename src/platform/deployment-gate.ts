import { IConstruct } from 'constructs';

/** One condition of the gate: a PromQL query that returns 0 while the SLO holds. @internal */
export interface SloGateQuery {
  /** Name of the measurement (a DNS label), e.g. `error-budget-burn-fast`. */
  readonly name: string;
  /** The alert whose condition it evaluates, e.g. `SloErrorBudgetBurnFast`. */
  readonly alert: string;
  readonly query: string;
}

/**
 * How the observability stack gates a watched workload's deployments by its SLO: the names of the
 * CloudWatch alarms that fail an ECS deployment (AWS), or the Prometheus queries a canary analysis
 * runs (Kubernetes).
 *
 * @internal
 */
export interface DeploymentGate {
  /** AWS: a deployment fails, and rolls back, when one of these alarms goes to ALARM. */
  gateOnAlarms(alarmNames: readonly string[]): void;
  /** Kubernetes: the canary advances only while every query returns 0. */
  gateOnPrometheus(address: string, queries: readonly SloGateQuery[]): void;
}

/** The deployment gate a construct offers through `_deploymentGate()`, when it does (duck typing). @internal */
export function deploymentGateOf(construct: IConstruct): DeploymentGate | undefined {
  const offer = (construct as { _deploymentGate?: unknown })._deploymentGate;
  return typeof offer === 'function' ? offer.call(construct) : undefined;
}
