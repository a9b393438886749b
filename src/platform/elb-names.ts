import { Fn } from 'aws-cdk-lib';

/**
 * `app/<name>/<id>`, the LoadBalancer dimension of ALB metrics, cut from a listener's ARN
 * (`…:listener/app/<name>/<id>/<listener-id>`).
 */
export function loadBalancerFullNameOfListener(listenerArn: string): string {
  const parts = Fn.split('/', listenerArn);
  return [1, 2, 3].map(i => Fn.select(i, parts)).join('/');
}

/**
 * `targetgroup/<name>/<id>`, the TargetGroup dimension of ALB metrics, cut from the target group's
 * ARN: the same value as Fn::GetAtt TargetGroupFullName, which moto's target groups do not implement.
 */
export function targetGroupFullNameOfArn(targetGroupArn: string): string {
  return Fn.select(5, Fn.split(':', targetGroupArn));
}
