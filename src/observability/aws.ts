import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ampAlertManagerDefinition } from './alerting/alertmanager-config';
import { renderAlertTopic, subscribeReceivers } from './alerting/aws-alerting';
import { renderManagedGrafana } from './grafana/aws-grafana';
import { watchOnCloudWatch, watchQueueOnCloudWatch } from './metrics/aws-cloudwatch';
import { ruleNamespaceName, workspaceEndpoint } from './metrics/aws-existing';
import { watchManagedOnCloudWatch } from './metrics/aws-managed-signals';
import { allowScrapeFrom, CloudWatchWatched, WatchedSource } from './metrics/discovery';
import { DnsScrapeTarget } from './metrics/prometheus-config';
import { ObservabilityAwsResources } from './resources';
import { ObservabilitySpec } from './spec';
import { COLLECTOR_NAME, renderAdotCollector } from './tracing/aws-collector';
import { ECS_SCRAPE_LABELS } from './tracing/otel-collector-config';
import { parsePrometheusDuration } from './validation';
import { AwsPlatform } from '../platform/aws-platform';
import { ecsTasksOf } from '../platform/ecs-tasks';
import { Endpoint } from '../platform/endpoint';
import { NetworkPeer } from '../platform/network';
import { QueueCloudWatchMetrics } from '../platform/queue-metrics';

/** Constructs per CloudWatch dashboard: at most ~10 widgets each, well under the 500-widget limit. */
const DASHBOARD_SECTIONS = 40;

export interface AwsContent {
  readonly sources: () => readonly WatchedSource[];
  readonly rulesYaml: () => string;
}

export interface AwsRendering {
  readonly resources: ObservabilityAwsResources;
  readonly otlpEndpoint: Endpoint;
  /** Admits `peer` to the collector's OTLP listener. */
  readonly allowOtlpFrom: (peer: NetworkPeer) => void;
  /** Called once, at synthesis, with every observed construct. */
  readonly watch: (sources: readonly WatchedSource[], managed: readonly CloudWatchWatched[], queues: readonly QueueCloudWatchMetrics[]) => void;
}

/**
 * Renders Amazon Managed Service for Prometheus (rules; alert manager → SNS), the ADOT collector,
 * the encrypted alert topic and its subscriptions, a CloudWatch dashboard and, optionally, Amazon
 * Managed Grafana. Observed constructs are wired in at synthesis (scrape jobs, alarms, widgets,
 * security-group rules).
 */
export function renderObservabilityOnAws(scope: Construct, spec: ObservabilitySpec, content: AwsContent): AwsRendering {
  const platform = AwsPlatform.of(scope);
  const stack = Stack.of(scope);
  const key = platform.encryptionKey;
  const logGroup = (id: string) => platform.createLogGroup(scope, id, spec.aws.logRetention);

  const alertTopic = spec.aws.alertTopic ?? renderAlertTopic(scope, key, platform.platformName);
  const chatbotChannels = subscribeReceivers(scope, alertTopic, spec.receivers);
  const alertManagerDefinition = ampAlertManagerDefinition(alertTopic.topicArn, stack.region);

  let workspace: aps.CfnWorkspace | undefined;
  let workspaceLogGroup: logs.ILogGroup | undefined;
  let workspaceArn: string;
  let prometheusEndpoint: string;
  if (spec.aws.workspace) {
    workspaceArn = spec.aws.workspace.workspaceArn;
    prometheusEndpoint = spec.aws.workspace.prometheusEndpoint ?? workspaceEndpoint(stack, workspaceArn);
  } else {
    workspaceLogGroup = logGroup('WorkspaceLogs');
    workspace = new aps.CfnWorkspace(scope, 'Workspace', {
      alias: `${platform.platformName}-observability`,
      alertManagerDefinition,
      loggingConfiguration: { logGroupArn: workspaceLogGroup.logGroupArn },
      workspaceConfiguration: { retentionPeriodInDays: retentionDays(spec.retention) },
    });
    workspace.applyRemovalPolicy(RemovalPolicy.RETAIN);
    workspaceArn = workspace.attrArn;
    prometheusEndpoint = workspace.attrPrometheusEndpoint;
  }
  const remoteWriteUrl = `${prometheusEndpoint}api/v1/remote_write`;
  const ruleGroups = new aps.CfnRuleGroupsNamespace(scope, 'RuleGroups', {
    // A shared workspace holds several platforms' rules: each under its own name.
    name: spec.aws.workspace ? ruleNamespaceName(platform.platformName) : 'platform',
    workspace: workspaceArn,
    data: Lazy.string({ produce: content.rulesYaml }),
  });

  let scrapeEcsTasks = false;
  const dnsTargets: DnsScrapeTarget[] = [];
  // LogDestination.platformStore({ retention }) is the OTLP log group's retention here (validated against CloudWatch's periods).
  const otlpRetention = spec.logs.kind === 'platform' && spec.logs.retention ? spec.logs.retention.toDays() as logs.RetentionDays : spec.aws.logRetention;
  const otlpLogGroup = platform.createLogGroup(scope, 'OtlpLogs', otlpRetention);
  const collectorLogGroup = logGroup('CollectorLogs');
  const collector = renderAdotCollector(scope, platform, spec, {
    workspaceArn,
    remoteWriteUrl,
    logGroup: collectorLogGroup,
    otlpLogGroup,
    // Reading the targets completes discovery first (it fills both lists).
    scrapeEcsTasks: () => { content.sources(); return scrapeEcsTasks; },
    dnsTargets: () => { content.sources(); return dnsTargets; },
  });
  const dashboards = [new cloudwatch.Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(6) })];
  const grafana = spec.aws.grafana ? renderManagedGrafana(scope, platform.platformName, workspaceArn) : undefined;
  const alarms: cloudwatch.Alarm[] = [];

  const backupRules: events.Rule[] = [];
  const watch = (sources: readonly WatchedSource[], managed: readonly CloudWatchWatched[], queues: readonly QueueCloudWatchMetrics[]) => {
    const dashboardFor = (i: number) => {
      // A dashboard holds at most 500 widgets: start another one every DASHBOARD_SECTIONS constructs.
      if (i > 0 && i % DASHBOARD_SECTIONS === 0) {
        dashboards.push(new cloudwatch.Dashboard(scope, `Dashboard${dashboards.length + 1}`, { defaultInterval: Duration.hours(6) }));
      }
      return dashboards[dashboards.length - 1];
    };
    sources.forEach((watched, i) => {
      const { construct, source } = watched;
      const ecsTasks = ecsTasksOf(construct);
      const nodes = ecsTasks ? [] : construct.node.findAll();
      const services = nodes.filter((n): n is ecs.BaseService => n instanceof ecs.BaseService);
      const scrapeEach = (tasks: ec2.IConnectable, labelled: readonly { addDockerLabel(name: string, value: string): void }[]) => {
        // Tasks sit behind load balancers: label them so the collector scrapes each task directly.
        scrapeEcsTasks = true;
        for (const container of labelled) {
          container.addDockerLabel(ECS_SCRAPE_LABELS.port, String(source.port));
          container.addDockerLabel(ECS_SCRAPE_LABELS.path, source.path);
          container.addDockerLabel(ECS_SCRAPE_LABELS.job, source.job);
        }
        tasks.connections.allowFrom(collector.service, ec2.Port.tcp(source.port), `metrics scrape by the ${COLLECTOR_NAME}`);
        collector.listener.connections.allowDefaultPortFrom(tasks, `OTLP from ${source.job}`);
      };
      if (ecsTasks) {
        scrapeEach(ecsTasks.connections, [ecsTasks]);
      } else if (services.length > 0) {
        const containers = metricsContainers(nodes, services, source.port);
        for (const service of services) scrapeEach(service, containers.filter(c => c.taskDefinition === service.taskDefinition));
      } else {
        dnsTargets.push({ job: source.job, dnsName: source.host, port: source.port, path: source.path });
        allowScrapeFrom(construct, NetworkPeer.fromConnectable(collector.service));
      }
      watchOnCloudWatch({ scope, spec, dashboard: dashboardFor(i), topic: alertTopic, alarms }, watched);
    });
    const backups = new Map<string, { kind: string; events: NonNullable<CloudWatchWatched['source']['backupFailedEvents']> }>();
    managed.forEach(({ source }, i) => {
      watchManagedOnCloudWatch({ scope, spec, dashboard: dashboardFor(sources.length + i), topic: alertTopic, alarms }, source);
      if (source.backupFailedEvents) backups.set(source.backupFailedEvents.alert, { kind: source.kind, events: source.backupFailedEvents });
    });
    // One rule per event pattern: each event names the failed resource, and a rule per cache would repeat it.
    for (const { kind, events: { alert, pattern } } of backups.values()) {
      backupRules.push(new events.Rule(scope, alert, {
        description: `[${alert}] ${kind}: ${pattern.detailType.join(', ')} events to the ${platform.platformName} alert topic`,
        eventPattern: pattern,
        targets: [new targets.SnsTopic(alertTopic)],
      }));
    }
    queues.forEach((queue, i) => {
      watchQueueOnCloudWatch({ scope, spec, dashboard: dashboardFor(sources.length + managed.length + i), topic: alertTopic, alarms }, queue);
    });
  };

  return {
    resources: {
      workspace,
      workspaceArn,
      remoteWriteUrl,
      ruleGroups,
      alertManagerDefinition,
      alertTopic,
      chatbotChannels,
      collectorService: collector.service,
      collectorTaskDefinition: collector.taskDefinition,
      collectorContainer: collector.container,
      collectorSecurityGroup: collector.securityGroup,
      collectorListener: collector.listener,
      collectorTargetGroup: collector.targetGroup,
      collectorDiscoveryService: collector.discoveryService,
      collectorLogGroup,
      otlpLogGroup,
      workspaceLogGroup,
      dashboards,
      alarms,
      backupFailureRules: backupRules,
      grafanaWorkspace: grafana?.workspace,
      grafanaRole: grafana?.role,
    },
    otlpEndpoint: new Endpoint(`${COLLECTOR_NAME}.${platform.namespace.namespaceName}`, collector.port, 'http'),
    allowOtlpFrom: peer => collector.listener.connections.allowDefaultPortFrom(peer._awsPeer(scope), `OTLP from ${peer.cidr ?? 'peer'}`),
    watch,
  };
}

/** The containers serving `port` in `nodes`, else the main container of each service. */
function metricsContainers(nodes: readonly IConstruct[], services: readonly ecs.BaseService[], port: number): ecs.ContainerDefinition[] {
  const serving = nodes.filter((n): n is ecs.ContainerDefinition =>
    n instanceof ecs.ContainerDefinition && n.portMappings.some(p => p.containerPort === port));
  return serving.length > 0 ? serving : services.flatMap(s => s.taskDefinition.defaultContainer ? [s.taskDefinition.defaultContainer] : []);
}

/** Whole days of a Prometheus duration, at least one (the workspace keeps whole days). */
function retentionDays(retention: string): number {
  return Math.max(1, Math.ceil(parsePrometheusDuration(retention)! / Duration.days(1).toMilliseconds()));
}
