import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiObject } from 'cdk8s';

/**
 * The AWS resources of a ServiceCluster, for escape hatches.
 */
export interface ServiceClusterAwsResources {
  /** The stack holding the service's resources: its own nested stack, unless `ServicePlacement.SAME_STACK`. */
  readonly stack: Stack;
  /** The ECS Fargate service. */
  readonly service: ecs.FargateService;
  /** The task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  readonly container: ecs.ContainerDefinition;
  /** The container's log group. */
  readonly logGroup: logs.ILogGroup;
  /** Security group of the tasks. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Target group with the load balancer health check. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The service's dedicated listener on the internal load balancer. */
  readonly listener: elbv2.ApplicationListener;
  /** The shared internal load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Cloud Map service resolving the service name to the load balancer. */
  readonly discoveryService: servicediscovery.Service;
  /** Autoscaling of the task count; undefined when minReplicas equals maxReplicas. */
  readonly scaling?: ecs.ScalableTaskCount;
}

/**
 * The Kubernetes objects of a ServiceCluster, for escape hatches.
 */
export interface ServiceClusterKubernetesResources {
  /** The Deployment. */
  readonly deployment: ApiObject;
  /** The ClusterIP Service. */
  readonly service: ApiObject;
  /** The ServiceAccount of the pods. */
  readonly serviceAccount: ApiObject;
  /** The PodDisruptionBudget. */
  readonly disruptionBudget: ApiObject;
  /** The NetworkPolicy admitting only declared peers. */
  readonly networkPolicy: ApiObject;
  /** The HorizontalPodAutoscaler; undefined when minReplicas equals maxReplicas. */
  readonly autoscaler?: ApiObject;
}
