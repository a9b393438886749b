import { burnRateExpression, BURN_RATE_WINDOWS, errorRateExpression, SloTargets } from './alert-rules';
import { SloGateQuery } from '../../platform/deployment-gate';
import { NetworkPeer } from '../../platform/network';

/** The alerts whose conditions gate a deployment: the page-worthy burn and the error-rate objective. */
export const GATING_ALERTS = { fastBurn: 'SloErrorBudgetBurnFast', errorRate: 'SloErrorRateHigh' } as const;

/**
 * The canary analysis of `job` (pure): each gating alert's own condition narrowed to the job, as a
 * count of firing series, so the query returns 0 while the SLO holds and at least 1 once the alert
 * would fire (without its `for`: a deployment is judged at once). `or vector(0)` gives the analysis
 * a sample to compare when nothing fires.
 */
export function sloGateQueries(job: string, slo: SloTargets): SloGateQuery[] {
  const selector = `job="${job}"`;
  return [
    { name: 'error-budget-burn-fast', alert: GATING_ALERTS.fastBurn, query: `count(${burnRateExpression(slo, BURN_RATE_WINDOWS.fast, selector)}) or vector(0)` },
    { name: 'error-rate', alert: GATING_ALERTS.errorRate, query: `count(${errorRateExpression(slo, selector)}) or vector(0)` },
  ];
}

/**
 * The name of a gating CloudWatch alarm: fixed at synthesis from the stack, the job and the alert,
 * so a service in another (nested) stack names it without a reference, and without a cycle between
 * the alarm (which reads the service's target group) and the service (which names the alarm).
 */
export function gateAlarmName(prefix: string, job: string, alert: string): string {
  return `${prefix}-${job}-${alert}`.slice(0, 255);
}

/** The Argo Rollouts controller as its own install manifest runs it (namespace and pod labels of manifests/install.yaml). */
export const ARGO_ROLLOUTS_CONTROLLER = NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'argo-rollouts' }, 'argo-rollouts');
