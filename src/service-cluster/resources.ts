import { Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';

/**
 * The AWS resources of a ServiceCluster, for escape hatches.
 *
 * The service's own resources are CloudFormation resources (set any property on them); the roles,
 * log group and security group are the high-level constructs, for `grant*` and `connections`.
 */
export interface ServiceClusterAwsResources {
  /** The stack holding the service's resources: its own nested stack, unless `ServicePlacement.SAME_STACK`. */
  readonly stack: Stack;
  /** The ECS service on Fargate. */
  readonly service: ecs.CfnService;
  /** The task definition; its one container is named `app`. */
  readonly taskDefinition: ecs.CfnTaskDefinition;
  /** Role the application assumes: grant it access to other AWS resources. */
  readonly taskRole: iam.Role;
  /** Role ECS uses to pull the image, write logs and read the secrets. */
  readonly executionRole: iam.Role;
  /** The container's log group. */
  readonly logGroup: logs.ILogGroup;
  /** Security group of the tasks. */
  readonly securityGroup: ec2.SecurityGroup;
  /** Target group with the load balancer health check. */
  readonly targetGroup: elbv2.CfnTargetGroup;
  /** The service's dedicated listener on the internal load balancer. */
  readonly listener: elbv2.CfnListener;
  /** The shared internal load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Cloud Map service resolving the service name to the load balancer. */
  readonly discoveryService: servicediscovery.CfnService;
  /** Target tracking of the task count (its policies are under its scope); undefined when minReplicas equals maxReplicas. */
  readonly scalableTarget?: appscaling.CfnScalableTarget;
}

/**
 * The Kubernetes objects of a ServiceCluster, for escape hatches: objects of cdk8s-plus-27's
 * generated `k8s` classes (custom resources are `ApiObject`s). Each renders as its manifest plus
 * your `addJsonPatch` operations.
 */
export interface ServiceClusterKubernetesResources {
  /**
   * The Deployment, a `k8s.KubeDeployment`; with `RolloutStrategy.sloGatedCanary()`, the Argo
   * Rollouts `Rollout` that takes its place (same selector and pod template, at the same paths).
   * Typed as their common class, `ApiObject`, since it is either.
   */
  readonly deployment: ApiObject;
  /**
   * The Argo Rollouts `AnalysisTemplate` whose SLO queries gate the canary; undefined for a rolling update.
   *
   * @default undefined
   */
  readonly analysisTemplate?: ApiObject;
  /** The ClusterIP Service. */
  readonly service: k8s.KubeService;
  /** The ServiceAccount of the pods. */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The PodDisruptionBudget. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy admitting only declared peers. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The HorizontalPodAutoscaler (autoscaling/v2); undefined when minReplicas equals maxReplicas. */
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
}
