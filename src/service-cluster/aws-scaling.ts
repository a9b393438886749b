import { Aws, Names, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ServiceClusterSpec } from './spec';

/** What target tracking scales. */
export interface ServiceScalingTargets {
  readonly clusterName: string;
  readonly service: ecs.CfnService;
  /** `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`: the target group whose requests per target count. */
  readonly requestCountLabel: string;
}

/**
 * Target tracking on CPU, memory and (when asked) requests per replica. Scale-out reacts within a
 * minute; scale-in waits five so that a short lull does not drop replicas a burst needs again.
 */
export function renderServiceScaling(scope: Construct, spec: ServiceClusterSpec, targets: ServiceScalingTargets): appscaling.CfnScalableTarget {
  const stack = Stack.of(scope);
  const targetScope = new Construct(scope, 'Target');
  const scalableTarget = new appscaling.CfnScalableTarget(targetScope, 'Resource', {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: `service/${targets.clusterName}/${targets.service.attrName}`,
    minCapacity: spec.minReplicas,
    maxCapacity: spec.maxReplicas,
    roleArn: `arn:${Aws.PARTITION}:iam::${stack.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
  });
  const track = (id: string, predefinedMetricType: string, targetValue: number, resourceLabel?: string) => {
    const policyScope = new Construct(targetScope, id);
    new appscaling.CfnScalingPolicy(policyScope, 'Resource', {
      policyName: Names.uniqueId(policyScope),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: scalableTarget.ref,
      targetTrackingScalingPolicyConfiguration: {
        targetValue,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
        predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
      },
    });
  };
  track('Cpu', 'ECSServiceAverageCPUUtilization', spec.targetCpuUtilization);
  track('Memory', 'ECSServiceAverageMemoryUtilization', spec.targetMemoryUtilization);
  if (spec.targetRequestsPerSecond !== undefined) {
    // ALBRequestCountPerTarget counts per minute.
    track('Requests', 'ALBRequestCountPerTarget', Math.round(spec.targetRequestsPerSecond * 60), targets.requestCountLabel);
  }
  return scalableTarget;
}
