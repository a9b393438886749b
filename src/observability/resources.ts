import * as aps from 'aws-cdk-lib/aws-aps';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';

/**
 * The AWS resources of an ObservabilityStack, for escape hatches. Resources per observed construct
 * (alarms, scrape rules) are added at synthesis, when every construct of the Stack exists.
 */
export interface ObservabilityAwsResources {
  /** The Amazon Managed Service for Prometheus workspace; undefined when an existing one is used. */
  readonly workspace?: aps.CfnWorkspace;
  /** ARN of the workspace metrics are written to. */
  readonly workspaceArn: string;
  /** Remote-write URL of the workspace. */
  readonly remoteWriteUrl: string;
  /** Alert and recording rules in the workspace. */
  readonly ruleGroups: aps.CfnRuleGroupsNamespace;
  /** The workspace's alert manager definition (routing to the SNS topic). */
  readonly alertManagerDefinition: string;
  /** SNS topic every alert and alarm is published to: the stack's own (encrypted) or `aws.alertTopic`. */
  readonly alertTopic: sns.ITopic;
  /** AWS Chatbot channels relaying the topic to Slack receivers. */
  readonly chatbotChannels: chatbot.SlackChannelConfiguration[];
  /** The ADOT collector service (scrapes into the workspace; receives OTLP traces and logs). */
  readonly collectorService: ecs.FargateService;
  /** The collector's task definition. */
  readonly collectorTaskDefinition: ecs.FargateTaskDefinition;
  /** The collector container. */
  readonly collectorContainer: ecs.ContainerDefinition;
  /** Security group of the collector tasks. */
  readonly collectorSecurityGroup: ec2.SecurityGroup;
  /** The collector's OTLP/HTTP listener on the platform's internal load balancer. */
  readonly collectorListener: elbv2.ApplicationListener;
  /** Target group of the collector task (health checked on the collector's health endpoint). */
  readonly collectorTargetGroup: elbv2.ApplicationTargetGroup;
  /** Cloud Map name `otel-collector.<namespace>` resolving to the load balancer. */
  readonly collectorDiscoveryService: servicediscovery.Service;
  /** Log group of the collector's own output. */
  readonly collectorLogGroup: logs.ILogGroup;
  /** Log group receiving the logs services send over OTLP (unless `logs` names a store you run). */
  readonly otlpLogGroup: logs.ILogGroup;
  /** Log group of the workspace's rule and alert manager errors; undefined with an existing workspace. */
  readonly workspaceLogGroup?: logs.ILogGroup;
  /** CloudWatch dashboards with a section per observed construct (40 constructs each; more are added at synthesis). */
  readonly dashboards: cloudwatch.Dashboard[];
  /** CloudWatch alarms (5xx ratio, p95 latency, CPU, memory; cache and DocumentDB signals), filled at synthesis. */
  readonly alarms: cloudwatch.Alarm[];
  /**
   * EventBridge rules sending failed backups of watched managed resources (ElastiCache snapshots)
   * to the alert topic, filled at synthesis.
   */
  readonly backupFailureRules: events.Rule[];
  /** The Amazon Managed Grafana workspace, when requested. */
  readonly grafanaWorkspace?: grafana.CfnWorkspace;
  /** Role Amazon Managed Grafana reads data sources with, when requested. */
  readonly grafanaRole?: iam.Role;
}

/** The Kubernetes objects of one component of the stack. */
export interface ObservabilityComponentObjects {
  /** The component's ServiceAccount (no API token mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ClusterIP Service in front of it. */
  readonly service: k8s.KubeService;
  /** Its NetworkPolicy. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** Its configuration file(s); undefined for a component configured by flags only. */
  readonly configMap?: k8s.KubeConfigMap;
  /** Its PodDisruptionBudget, when it runs more than one replica. */
  readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
}

/** A component running as a StatefulSet (Prometheus, Alertmanager, Jaeger, Loki). */
export interface ObservabilityStatefulObjects extends ObservabilityComponentObjects {
  /** The StatefulSet. */
  readonly statefulSet: k8s.KubeStatefulSet;
  /** The headless Service naming each replica. */
  readonly headlessService: k8s.KubeService;
}

/** A component running as a Deployment (Grafana, OpenTelemetry Collector). */
export interface ObservabilityDeploymentObjects extends ObservabilityComponentObjects {
  /** The Deployment. */
  readonly deployment: k8s.KubeDeployment;
}

/** The opt-in node-level log collection. */
export interface NodeLogCollectionObjects {
  /** Its namespace, at Pod Security level `privileged`. */
  readonly namespace: k8s.KubeNamespace;
  /** The collector DaemonSet. */
  readonly daemonSet: k8s.KubeDaemonSet;
  /** Its configuration. */
  readonly configMap: k8s.KubeConfigMap;
  /** Its ServiceAccount. */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The collector's policy: DNS and the platform collector only. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** Default-deny for the namespace. */
  readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
}

/** The objects handed to an existing Prometheus Operator (`MetricsBackend.prometheusOperator`). */
export interface PrometheusOperatorObjects {
  /**
   * ServiceMonitors (monitoring.coreos.com/v1): the collector's and Jaeger's, then one per observed
   * construct, added at synthesis.
   */
  readonly serviceMonitors: ApiObject[];
  /** The PrometheusRule (monitoring.coreos.com/v1) with every recording and alerting rule. */
  readonly prometheusRule: ApiObject;
}

/**
 * The Kubernetes objects of an ObservabilityStack, for escape hatches. Objects per observed
 * construct (headless metrics Services) are added at synthesis.
 */
export interface ObservabilityKubernetesResources {
  /** Prometheus (config map: prometheus.yml); undefined with `MetricsBackend.prometheusOperator`. */
  readonly prometheus?: ObservabilityStatefulObjects;
  /** The rule files Prometheus loads; undefined with `MetricsBackend.prometheusOperator` (see `prometheusOperator.prometheusRule`). */
  readonly prometheusRules?: k8s.KubeConfigMap;
  /** Alertmanager (config map: alertmanager.yml); undefined with `MetricsBackend.prometheusOperator`. */
  readonly alertmanager?: ObservabilityStatefulObjects;
  /** Grafana (config map: provisioned data sources and dashboard providers); undefined with `MetricsBackend.prometheusOperator`. */
  readonly grafana?: ObservabilityDeploymentObjects;
  /**
   * One dashboard per observed construct, spread over ConfigMaps by name (each holds at most 1 MiB).
   * With `MetricsBackend.prometheusOperator` they carry the Grafana sidecar's label instead of being mounted.
   */
  readonly grafanaDashboards: k8s.KubeConfigMap[];
  /** What an existing Prometheus Operator is handed; undefined with the bundled backend. */
  readonly prometheusOperator?: PrometheusOperatorObjects;
  /** The OpenTelemetry Collector receiving OTLP traces, metrics and logs. */
  readonly collector: ObservabilityDeploymentObjects;
  /** Jaeger (traces, Badger storage on a volume). */
  readonly jaeger: ObservabilityStatefulObjects;
  /**
   * The in-cluster log store (Loki; config map: loki.yaml), with `LogDestination.platformStore()`;
   * undefined when logs go to a store you run.
   */
  readonly logStore?: ObservabilityStatefulObjects;
  /** Headless Services through which Prometheus finds each replica of an observed construct, filled at synthesis. */
  readonly metricsServices: k8s.KubeService[];
  /** Node-level log collection, when enabled. */
  readonly nodeLogs?: NodeLogCollectionObjects;
}
