import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * An ECS service's tasks, for observability: the security group a collector reaches each task
 * through, Docker labels on the container serving metrics (how the collector's ECS discovery finds
 * them), and the CloudWatch dimensions of the service and of its target group.
 *
 * @internal
 */
export interface EcsTasks {
  readonly connections: ec2.IConnectable;
  /** Dimensions of the service's `AWS/ECS` metrics. */
  readonly serviceDimensions: { readonly ClusterName: string; readonly ServiceName: string };
  /** Dimensions of its target group's `AWS/ApplicationELB` metrics. */
  readonly targetGroupDimensions: { readonly LoadBalancer: string; readonly TargetGroup: string };
  addDockerLabel(name: string, value: string): void;
}

/** The ECS tasks a construct offers through `_ecsTasks()`, when it does (duck typing). @internal */
export function ecsTasksOf(construct: IConstruct): EcsTasks | undefined {
  const offer = (construct as { _ecsTasks?: unknown })._ecsTasks;
  return typeof offer === 'function' ? offer.call(construct) : undefined;
}
