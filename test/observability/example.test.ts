import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { dashboardFiles } from './kubernetes-fixture';
import { defineObservability } from '../../examples/observability';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

describe('observability example', () => {
  test('Kubernetes: conformant, both services observed and sending OTLP to the collector', () => {
    const chart = kubernetesChart('observability', 'observability');
    defineObservability(chart);
    const manifests = manifestsOf(chart);
    const report = expectKubernetesConformance(manifests);
    console.info(`observability example on Kubernetes: ${report.objects} objects; findings: schema ${report.byValidator.schema}, ` +
      `pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}`);
    expect(Object.keys(dashboardFiles(manifests)).sort()).toEqual(['_platform-logs.json', 'catalog.json', 'orders.json']);
    const alertmanager = parse(findObject(manifests, 'ConfigMap', 'alertmanager').data['alertmanager.yml']);
    expect(alertmanager.receivers[0].slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/alerting-slack/webhook-url');
    expect(findObject(manifests, 'Deployment', 'orders').spec.template.spec.containers[0].env).toContainEqual(
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc.cluster.local:4318' });
    // Logs: 30 days in Loki, as in CloudWatch Logs on AWS.
    expect(parse(findObject(manifests, 'ConfigMap', 'loki').data['loki.yaml']).limits_config.retention_period).toBe('720h');
    const userAlerts = parse(findObject(manifests, 'ConfigMap', 'prometheus-rules').data['platform.yml']).groups
      .find((g: any) => g.name === 'platform-user-alerts').rules;
    expect(userAlerts.map((r: any) => [r.alert, r.for])).toEqual([['OrdersSlow', '600s']]);
  });

  test('AWS: cdk-nag, cfn-lint and moto clean (the workspace is a moto stand-in)', () => {
    const stack = awsStack('observability');
    defineObservability(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
    template.hasResourceProperties('AWS::APS::Workspace', { WorkspaceConfiguration: { RetentionPeriodInDays: 30 } });
    const otlpLogs = Object.entries<any>(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.includes('OtlpLogs'));
    expect(otlpLogs.map(([, group]) => group.Properties.RetentionInDays)).toEqual([30]);
    expectAwsConformance([stack]);
  });
});
