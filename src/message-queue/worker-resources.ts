import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';

/** The AWS resources of a QueueWorker, for escape hatches. */
export interface QueueWorkerAwsResources {
  /** The ECS service on Fargate (no load balancer). */
  readonly service: ecs.FargateService;
  /** The task definition; its one container is named `worker`. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The container. */
  readonly container: ecs.ContainerDefinition;
  /** The container's log group. */
  readonly logGroup: logs.ILogGroup;
  /** Security group of the tasks (no ingress). */
  readonly securityGroup: ec2.SecurityGroup;
  /** Task count range. */
  readonly scalableTarget: appscaling.ScalableTarget;
  /** Target tracking on backlog per task (metric math over the SQS depth and the running task count). */
  readonly backlogScalingPolicy: appscaling.CfnScalingPolicy;
}

/**
 * The Kubernetes objects of a QueueWorker, for escape hatches: objects of cdk8s-plus-27's generated
 * `k8s` classes (KEDA's custom resources are `ApiObject`s), each rendered as its manifest plus your
 * `addJsonPatch` operations.
 */
export interface QueueWorkerKubernetesResources {
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The ServiceAccount of the pods (its token is never mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The PodDisruptionBudget. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy: no ingress; egress only where grants open it. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** KEDA ScaledObject scaling on queue depth; undefined with `kubernetes.keda: false`. */
  readonly scaledObject?: ApiObject;
  /** KEDA TriggerAuthentication (broker URI and CA from Secrets); undefined with `kubernetes.keda: false`. */
  readonly triggerAuthentication?: ApiObject;
  /** CPU HorizontalPodAutoscaler, the fallback without KEDA; undefined with KEDA. */
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
}
