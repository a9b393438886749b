import * as path from 'path';
import { Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { parse } from 'yaml';
import { hasAmtool, hasPromtool, run, withFiles } from './engines';
import { FakeSource, ONCALL } from './fakes';
import { CacheCluster, CacheClusterMode } from '../../src/cache-cluster';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { AlertReceiver, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

const RECEIVERS = [
  AlertReceiver.slack({
    apiUrlSecret: PlatformSecret.named('alerting-slack', 'webhook-url'),
    channel: '#alerts',
    awsChatbot: { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' },
  }),
  AlertReceiver.webhook('https://oncall.example.com/hooks/platform', { snsEnvelopeOnAws: true }),
  AlertReceiver.email({ to: 'oncall@example.com' }),
];
const EXISTING_WORKSPACE = {
  workspaceArn: 'arn:aws:aps:us-east-1:123456789012:workspace/ws-0123456789',
  prometheusEndpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123456789/',
};

/** Users (metrics on 9090), the stack, then Orders: created after the stack, observed all the same. */
function render(props: ObservabilityStackProps = {}) {
  const stack = awsStack();
  const users = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2', metrics: { port: 9090 } });
  const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS, ...props });
  const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
  return { stack, users, orders, observability, template: Template.fromStack(stack) };
}

/** A CloudFormation string expression as text: references written `<LogicalId>` / `<LogicalId.Attribute>`, other functions `<Fn::Name>`. */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  return `<${Object.keys(value)[0]}>`;
}

function only(template: Template, type: string): any {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

function collectorConfig(template: Template): any {
  const taskDefinitions = Object.values<any>(template.findResources('AWS::ECS::TaskDefinition'))
    .filter(t => t.Properties.ContainerDefinitions[0].Name === 'collector');
  return parse(text(taskDefinitions[0].Properties.ContainerDefinitions[0].Environment[0].Value));
}

const logicalId = (stack: Stack, construct: any) => stack.getLogicalId(construct.node.defaultChild);

describe('ObservabilityStack on AWS', () => {
  test('matches the snapshot', () => {
    expect(render().template.toJSON()).toMatchSnapshot();
  });

  test('Amazon Managed Service for Prometheus: retention, logging, rules, alert routing to SNS', () => {
    const { template, observability } = render({ receivers: RECEIVERS, retention: '30d' });
    const workspace = only(template, 'AWS::APS::Workspace');
    expect(workspace.DeletionPolicy).toBe('Retain');
    expect(workspace.Properties.WorkspaceConfiguration).toEqual({ RetentionPeriodInDays: 30 });
    expect(workspace.Properties.LoggingConfiguration.LogGroupArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/WorkspaceLogs/), 'Arn'] });
    const definition = parse(text(workspace.Properties.AlertManagerDefinition));
    const routing = parse(definition.alertmanager_config);
    expect(routing.receivers[0].sns_configs[0]).toMatchObject({ topic_arn: expect.stringMatching(/^<ObservabilityAlertTopic/), sigv4: { region: 'us-east-1' } });
    const rules = only(template, 'AWS::APS::RuleGroupsNamespace').Properties;
    expect(rules.Workspace).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Workspace/), 'Arn'] });
    expect(rules.Data).toBe(observability.renderAlertRules());
    expect(parse(rules.Data).groups.map((g: any) => g.name)).toEqual(['platform-slo-recordings', 'platform-slo-alerts', 'platform-targets', 'platform-service']);
  });

  test('the workspace rules pass promtool and its alert manager definition passes amtool', () => {
    const { template } = render();
    const rules = only(template, 'AWS::APS::RuleGroupsNamespace').Properties.Data;
    const definition = parse(text(only(template, 'AWS::APS::Workspace').Properties.AlertManagerDefinition));
    const alertmanager = definition.alertmanager_config.replace(/<[A-Za-z0-9]+>/, 'arn:aws:sns:us-east-1:123456789012:alerts');
    if (hasPromtool()) {
      const result = withFiles({ 'rules.yml': rules }, dir => run('promtool', ['check', 'rules', path.join(dir, 'rules.yml')]));
      expect(result.status).toBe(0);
    }
    if (hasAmtool()) {
      const result = withFiles({ 'alertmanager.yml': alertmanager }, dir => run('amtool', ['check-config', path.join(dir, 'alertmanager.yml')]));
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    }
  });

  test('ADOT collector: scrapes each labelled task of the cluster, remote-writes with SigV4, traces to X-Ray', () => {
    const { template, users, orders } = render();
    const config = collectorConfig(template);
    expect(config.extensions.ecs_observer).toEqual({
      cluster_name: expect.stringMatching(/^<PortablePlatformCluster/),
      cluster_region: 'us-east-1',
      refresh_interval: '60s',
      result_file: '/tmp/ecs_sd_targets.yaml',
      job_label_name: 'prometheus_job',
      docker_labels: [{ port_label: 'PLATFORM_METRICS_PORT', metrics_path_label: 'PLATFORM_METRICS_PATH', job_name_label: 'PLATFORM_METRICS_JOB' }],
    });
    // Each observed service's container carries its job, port and path.
    // Services' task definitions live in their own nested stacks.
    Template.fromStack(users.aws!.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: 'ghcr.io/acme/users:1.4.2',
        DockerLabels: { PLATFORM_METRICS_PORT: '9090', PLATFORM_METRICS_PATH: '/metrics', PLATFORM_METRICS_JOB: 'users' },
      })],
    });
    Template.fromStack(orders.aws!.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Image: 'ghcr.io/acme/orders:2.0.0', DockerLabels: Match.objectLike({ PLATFORM_METRICS_PORT: '8080' }) })],
    });
    expect(config.exporters.prometheusremotewrite).toMatchObject({
      endpoint: expect.stringMatching(/^<ObservabilityWorkspace[0-9A-F]+\.PrometheusEndpoint>api\/v1\/remote_write$/),
      auth: { authenticator: 'sigv4auth' },
    });
    // Two tasks scrape the same targets: AMP keeps one copy, by the cluster and __replica__ labels (each task's own metadata URI).
    expect(config.exporters['prometheusremotewrite/scraped']).toMatchObject({
      endpoint: config.exporters.prometheusremotewrite.endpoint,
      external_labels: { cluster: 'platform-otel-collector', __replica__: '${env:ECS_CONTAINER_METADATA_URI_V4}' },
    });
    expect(config.service.pipelines['metrics/scraped']).toMatchObject({ receivers: ['prometheus'], exporters: ['prometheusremotewrite/scraped'] });
    // OTLP metrics reach one task only: without the HA labels, so de-duplication never drops them.
    expect(config.service.pipelines.metrics).toMatchObject({ receivers: ['otlp'], exporters: ['prometheusremotewrite'] });
    expect(config.exporters.prometheusremotewrite.external_labels).toBeUndefined();
    expect(config.service.pipelines.traces.exporters).toEqual(['awsxray']);
    expect(config.service.pipelines.logs.exporters).toEqual(['awscloudwatchlogs']);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'collector',
        Image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
        Command: ['--config=env:AOT_CONFIG_CONTENT'],
        ReadonlyRootFilesystem: true,
        User: '10001:10001',
        HealthCheck: Match.objectLike({ Command: ['CMD', '/healthcheck'] }),
      })],
    });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2, AvailabilityZoneRebalancing: 'ENABLED', DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }) });
  });

  test("the collector's scrape configuration passes promtool", () => {
    const config = collectorConfig(render().template).receivers.prometheus.config;
    if (!hasPromtool()) return;
    // The collector unescapes "$$"; promtool reads what the collector hands Prometheus.
    const result = withFiles({ 'prometheus.yml': JSON.stringify(config).replace(/\$\$/g, '$') },
      dir => run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]));
    expect(result.status).toBe(0);
  });

  test('least privilege: remote write to this workspace only, ECS reads limited to the platform cluster', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'aps:RemoteWrite', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Workspace'), 'Arn'] } },
          Match.objectLike({
            Action: ['ecs:ListTasks', 'ecs:ListServices', 'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances'],
            Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [Match.stringLikeRegexp('Cluster'), 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  test('network: the collector reaches each metrics port, services reach the OTLP listener', () => {
    const { template, users, observability } = render();
    // The rule on users' group lives in users' nested stack; the collector's group arrives as a parameter.
    Template.fromStack(users.aws!.stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9090,
      ToPort: 9090,
      SourceSecurityGroupId: { Ref: Match.stringLikeRegexp('^referencetoPlatformObservabilityCollectorSecurityGroup[0-9A-F]+GroupId$') },
      GroupId: { 'Fn::GetAtt': [logicalId(users.aws!.stack, users.aws!.securityGroup), 'GroupId'] },
    });
    const port = observability.otlpEndpoint.port;
    expect(observability.otlpEndpoint.url).toBe(`http://otel-collector.platform.internal:${port}`);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: port, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsersStackNestedStack'), Match.stringLikeRegexp('^Outputs\\..*UsersStackSecurityGroup')] },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 4318, HealthCheckPort: '13133', TargetType: 'ip' });
  });

  test('CloudWatch: a dashboard section and alarms (5xx ratio, p95 latency, CPU, memory) per construct, to the topic', () => {
    const { template, observability } = render();
    expect(observability.aws!.dashboards).toHaveLength(1);
    const body = text(only(template, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    expect(body).toContain('## Service: users');
    expect(body).toContain('## Service: orders');
    // Per service: CPU, memory, 5xx ratio, p95 latency, and the fast burn its deployments gate on.
    expect(observability.aws!.alarms).toHaveLength(10);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0.01,
      AlarmDescription: '[SloErrorRateHigh] users: 5xx ratio above 1 % over 5 minutes',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, errors / requests, 0)' })]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.5, ExtendedStatistic: 'p95', MetricName: 'TargetResponseTime' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 90, MetricName: 'CPUUtilization', EvaluationPeriods: 3 });
  });

  test('the CPU and memory alarms use the same fractions of each task as the Prometheus rules', () => {
    const { template } = render({ resourceAlerts: { serviceCpuUtilization: 0.8, serviceMemoryUtilization: 0.85 } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 80, MetricName: 'CPUUtilization', AlarmDescription: '[ServiceCpuHigh] users: CPU above 80 % for 15 minutes' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 85, MetricName: 'MemoryUtilization', AlarmDescription: '[ServiceMemoryHigh] users: memory above 85 % for 15 minutes' });
  });

  test('Prometheus rules measure each service against its own size', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'Big', { image: 'ghcr.io/acme/big:1.0.0', cpu: 1, memory: Size.gibibytes(2) });
    new ServiceCluster(stack, 'Small', { image: 'ghcr.io/acme/small:1.0.0' });
    const rules = parse(new ObservabilityStack(stack, 'Observability', { receivers: ONCALL }).renderAlertRules());
    const cpu = rules.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'ServiceCpuHigh');
    expect(cpu.expr).toBe('((rate(process_cpu_seconds_total{job=~"big"}[5m]) / 1) or (rate(process_cpu_seconds_total{job=~"small"}[5m]) / 0.5)) > 0.9');
  });

  test('ElastiCache and DocumentDB Elastic: alarms over every node and a dashboard section, snapshot failures to the topic', () => {
    const stack = awsStack();
    // Two shards of two nodes: every alarm takes the worst of the four member clusters.
    new CacheCluster(stack, 'Sessions', { mode: CacheClusterMode.CLUSTER, shards: 2, replicas: 1 });
    new MongoShardedCluster(stack, 'OrdersDb');
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS });
    const template = Template.fromStack(stack);
    const body = text(only(template, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    expect(body).toContain('## Cache: sessions');
    expect(body).toContain('## MongoDB: orders-db');
    const resources = template.toJSON().Resources;
    const descriptions = observability.aws!.alarms
      .map(a => text(resources[stack.getLogicalId(a.node.defaultChild as any)].Properties.AlarmDescription));
    expect(descriptions.map(d => d.split(' ')[0]).sort()).toEqual(
      ['[CacheCpuHigh]', '[CacheEvicting]', '[CacheMemoryHigh]', '[CacheReplicationLagHigh]', '[MongoBackupMissing]', '[MongoCpuHigh]']);
    const alarm = (alert: string) => Object.values<any>(template.toJSON().Resources)
      .find(r => r.Type === 'AWS::CloudWatch::Alarm' && text(r.Properties.AlarmDescription).startsWith(`[${alert}]`)).Properties;
    const memory = alarm('CacheMemoryHigh');
    expect(memory).toMatchObject({ Threshold: 90, EvaluationPeriods: 2, AlarmActions: [{ Ref: expect.stringMatching(/AlertTopic/) }] });
    expect(memory.Metrics.find((m: any) => m.Expression).Expression).toBe('MAX(METRICS())');
    expect(memory.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions[0].Value).sort())
      .toEqual(['sessions-0001-001', 'sessions-0001-002', 'sessions-0002-001', 'sessions-0002-002']);
    expect(alarm('CacheEvicting')).toMatchObject({ Threshold: 0, EvaluationPeriods: 3 });
    const cpu = alarm('CacheCpuHigh');
    expect(cpu).toMatchObject({ Threshold: 90, EvaluationPeriods: 3 });
    expect(cpu.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName)).toEqual(Array(4).fill('EngineCPUUtilization'));
    expect(alarm('CacheReplicationLagHigh')).toMatchObject({ Threshold: 30 });
    expect(alarm('MongoCpuHigh')).toMatchObject({ Threshold: 90, EvaluationPeriods: 3, Namespace: 'AWS/DocDB-Elastic', MetricName: 'PrimaryInstanceCPUUtilization' });
    // DocumentDB Elastic publishes no backup metric or event: the cluster's hourly check publishes the
    // age of its newest snapshot, and silence (a broken check) breaches too.
    const backup = alarm('MongoBackupMissing');
    expect(backup).toMatchObject({
      Namespace: 'CdkPortablePlatform/Backups',
      MetricName: 'HoursSinceLastBackup',
      Dimensions: [{ Name: 'ClusterName', Value: 'orders-db' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 26,
      EvaluationPeriods: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/AlertTopic/) }],
      OKActions: [{ Ref: expect.stringMatching(/AlertTopic/) }],
    });
    expect(text(backup.AlarmDescription)).toBe('[MongoBackupMissing] orders-db: no snapshot newer than 26 hours, or the hourly backup check has stopped reporting (2 periods in a row)');
    expect(body).toContain('"title":"Hours since the last backup"');
    // The other managed alarms keep treating missing data as fine (an idle node publishes nothing).
    expect(memory.TreatMissingData).toBe('notBreaching');
    // ElastiCache publishes failed snapshots to EventBridge; one rule for every cache of the stack.
    expect(observability.aws!.backupFailureRules).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.elasticache'], 'detail-type': ['Snapshot Creation Failed'] },
      Description: '[CacheSnapshotFailed] cache: Snapshot Creation Failed events to the platform alert topic',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('AlertTopic') } })],
    });
    // They have no Prometheus exporter on AWS: no scrape job, no Prometheus rules for them.
    expect(observability.watchedMetricsSources()).toEqual([]);
    expect(collectorConfig(template).receivers.prometheus.config.scrape_configs).toEqual([]);
  });

  test('an explicit watch list may name a cache or a Mongo cluster on AWS: they are watched through CloudWatch', () => {
    const stack = awsStack();
    const cache = new CacheCluster(stack, 'Sessions');
    new MongoShardedCluster(stack, 'OrdersDb');
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS, watch: [cache] });
    const body = text(only(Template.fromStack(stack), 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    expect(body).toContain('## Cache: sessions');
    expect(body).not.toContain('orders-db');
    expect(observability.aws!.alarms.length).toBeGreaterThan(0);
  });

  test('a Mongo cluster without its backup check has no backup alarm', () => {
    const stack = awsStack();
    new MongoShardedCluster(stack, 'OrdersDb', { aws: { backupAgeCheck: false } });
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS });
    const resources = Template.fromStack(stack).toJSON().Resources;
    const descriptions = observability.aws!.alarms
      .map(a => text(resources[stack.getLogicalId(a.node.defaultChild as any)].Properties.AlarmDescription));
    expect(descriptions.map(d => d.split(' ')[0])).toEqual(['[MongoCpuHigh]']);
  });

  test('a cache without snapshots has no snapshot rule', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'Sessions', { persistence: false, automaticFailover: false, aws: { snapshotRetentionDays: 0 } });
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS });
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
    expect(observability.aws!.alarms.length).toBeGreaterThan(0);
  });

  test('CloudWatch alarms can be turned off for Stacks near their resource quota', () => {
    const { template, observability } = render({ aws: { cloudWatchAlarms: false } });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(observability.aws!.alarms).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('constructs without ECS tasks are scraped by DNS and admit the collector; a dashboard per 40 constructs', () => {
    const stack = awsStack();
    new ObservabilityStack(stack, 'Observability', { receivers: ONCALL });
    const caches = Array.from({ length: 41 }, (_, i) =>
      new FakeSource(stack, `Cache${i}`, { job: `cache-${i}`, kind: 'cache', host: `cache-${i}.platform.internal`, selector: {}, namespace: '' }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    const config = collectorConfig(template);
    expect(config.extensions.ecs_observer).toBeUndefined();
    expect(config.receivers.prometheus.config.scrape_configs[0]).toEqual({
      job_name: 'cache-0',
      metrics_path: '/metrics',
      scheme: 'http',
      dns_sd_configs: [{ names: ['cache-0.platform.internal'], type: 'A', port: 9121, refresh_interval: '30s' }],
    });
    expect(caches[0].metricsAdmitted[0].networkIdentity.connectable).toBeDefined();
    expect(caches[0].admitted).toEqual([]);
  });

  test('alerts: encrypted topic usable by CloudWatch and the workspace; receivers as subscriptions and AWS Chatbot', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EncryptionKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: ['cloudwatch.amazonaws.com', 'aps.amazonaws.com', 'events.amazonaws.com'] },
        })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://oncall.example.com/hooks/platform' });
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD', SlackChannelId: 'C0123ABCD', SnsTopicArns: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
    });
  });

  test('every log group has a retention', () => {
    const groups = Object.values<any>(render({ aws: { logRetention: logs.RetentionDays.ONE_MONTH } }).template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const group of groups) expect(group.Properties.RetentionInDays).toEqual(expect.any(Number));
    expect(groups.filter(g => g.Properties.RetentionInDays === 30)).toHaveLength(3);
  });

  test('Amazon Managed Grafana on request, reading through a read-only role', () => {
    expect(render().template.findResources('AWS::Grafana::Workspace')).toEqual({});
    const { template } = render({ aws: { grafana: true } });
    template.hasResourceProperties('AWS::Grafana::Workspace', {
      AccountAccessType: 'CURRENT_ACCOUNT',
      AuthenticationProviders: ['AWS_SSO'],
      PermissionType: 'CUSTOMER_MANAGED',
      DataSources: ['PROMETHEUS', 'CLOUDWATCH', 'XRAY'],
    });
  });

  test('an existing workspace receives the rules and the metrics; its alert manager definition is exposed', () => {
    const { template, observability } = render({ aws: { prometheusWorkspace: EXISTING_WORKSPACE } });
    template.resourceCountIs('AWS::APS::Workspace', 0);
    template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', { Workspace: EXISTING_WORKSPACE.workspaceArn });
    expect(collectorConfig(template).exporters.prometheusremotewrite.endpoint).toBe(`${EXISTING_WORKSPACE.prometheusEndpoint}api/v1/remote_write`);
    expect(observability.aws!.alertManagerDefinition).toContain('sns_configs');
  });

  test('conformance with an existing workspace: cdk-nag, cfn-lint and moto CREATE_COMPLETE', () => {
    const { stack } = render({ receivers: RECEIVERS, aws: { prometheusWorkspace: EXISTING_WORKSPACE, grafana: true } });
    const report = expectAwsConformance([stack]);
    console.info(`observability on AWS (existing workspace): ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged); cfn-lint ${report.cfnLintErrors.length} errors, ${report.cfnLintWarnings.length} warnings; ` +
      `moto ${report.moto.map(m => `${m.status}, skipped ${m.unsupportedTypes.join(' ')}`).join('; ')}`);
  });

  test('conformance with a new workspace: cdk-nag, cfn-lint and moto (the workspace is a moto stand-in)', () => {
    const { stack } = render();
    const report = expectAwsConformance([stack]);
    if (report.moto.length > 0) expect(report.moto[0].emulatedTypes).toContain('AWS::APS::Workspace');
  });

  test('allowUiFrom fails on AWS with the reason', () => {
    const { observability } = render();
    expect(() => observability.allowUiFrom(NetworkPeer.ipv4('10.0.0.0/8')))
      .toThrow(/Observability: allowFrom\(peer, \{ purpose: AccessPurpose.UI \}\) is not supported on aws: Amazon Managed Grafana \(aws.grafana\) and the X-Ray console are reached through IAM Identity Center/);
  });
});
