import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { DeploymentGate } from '../platform/deployment-gate';
import { invalidPropMessage } from '../platform/errors';
import { PLATFORM_DEPLOYMENT_CONFIGURATION } from '../platform/fargate-service';

/**
 * The ECS service's deployment gate: an ObservabilityStack watching the service hands it the
 * names of the service's SLO alarms at synthesis, and every deployment then fails, and rolls back,
 * when one of them goes to ALARM, on top of the circuit breaker (either one fails it). Unwatched,
 * the service keeps the circuit breaker alone, unless `required` (an SLO-gated canary), where
 * synthesis fails instead.
 */
export function ecsDeploymentGate(scope: IConstruct, service: ecs.CfnService, required: boolean): DeploymentGate {
  let gated = false;
  scope.node.addValidation({
    validate: () => required && !gated ? [invalidPropMessage(scope, 'rollout', 'has no SLO alarms to gate on', 'RolloutStrategy.sloGatedCanary()',
      'create an ObservabilityStack in the same Stack that watches this service, with aws.cloudWatchAlarms on, or use RolloutStrategy.rollingUpdate()')] : [],
  });
  return {
    gateOnAlarms: alarmNames => {
      gated = alarmNames.length > 0;
      service.deploymentConfiguration = {
        ...PLATFORM_DEPLOYMENT_CONFIGURATION,
        ...gated ? { alarms: { alarmNames: [...alarmNames], enable: true, rollback: true } } : {},
      };
    },
    gateOnPrometheus: () => {
      throw new Error(`${scope.node.path}: a Prometheus deployment gate on aws is a bug: ECS deployments gate on CloudWatch alarms`);
    },
  };
}
