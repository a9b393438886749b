import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';

/**
 * The AWS resources of a Gateway, for escape hatches.
 */
export interface GatewayAwsResources {
  /** The internet-facing load balancer. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Security group of the load balancer (HTTP and HTTPS from anywhere). */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** The HTTPS listener. */
  readonly httpsListener: elbv2.ApplicationListener;
  /** The HTTP listener, redirecting to HTTPS. */
  readonly httpListener: elbv2.ApplicationListener;
  /** Target group of the Traefik tasks. */
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The certificate of the HTTPS listener. */
  readonly certificate: acm.ICertificate;
  /** The alias record of domainName, when a hosted zone was given. */
  readonly aliasRecord?: route53.ARecord;
  /** The WAFv2 web ACL. */
  readonly webAcl: wafv2.CfnWebACL;
  /** The association of the web ACL with the load balancer. */
  readonly webAclAssociation: wafv2.CfnWebACLAssociation;
  /** The Traefik Fargate service. */
  readonly service: ecs.FargateService;
  /** The task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The Traefik container. */
  readonly container: ecs.ContainerDefinition;
  /** The Envoy JWT verifier container, with `JwtVerifier.sidecar()`. */
  readonly jwtVerifierContainer?: ecs.ContainerDefinition;
  /** Security group of the Traefik tasks. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The tasks' log group. */
  readonly logGroup: logs.ILogGroup;
  /** Autoscaling of the task count; undefined when minReplicas equals maxReplicas. */
  readonly scaling?: ecs.ScalableTaskCount;
}

/**
 * The Kubernetes objects of a Gateway, for escape hatches.
 */
export interface GatewayKubernetesResources {
  /** The Traefik Deployment. */
  readonly deployment: k8s.KubeDeployment;
  /** The LoadBalancer Service (80 and 443). */
  readonly service: k8s.KubeService;
  /** ClusterIP Service exposing the metrics port inside the cluster. */
  readonly metricsService: k8s.KubeService;
  /** Traefik's static configuration. */
  readonly staticConfig: k8s.KubeConfigMap;
  /** Traefik's dynamic configuration (routers, services, middlewares), rendered at synth. */
  readonly dynamicConfig: k8s.KubeConfigMap;
  /** The ServiceAccount of the pods (no token). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The PodDisruptionBudget. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** The HorizontalPodAutoscaler; undefined when minReplicas equals maxReplicas. */
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The NetworkPolicy (public ports in, declared upstreams out). */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The cert-manager Certificate, with `TlsSource.certManager`. */
  readonly certificate?: ApiObject;
}
