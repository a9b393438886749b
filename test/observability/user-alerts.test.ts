import { spawnSync } from 'child_process';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { parse } from 'yaml';
import { hasPromtool, run, withFiles } from './engines';
import { ONCALL } from './fakes';
import { CacheCluster, CacheClusterMode } from '../../src/cache-cluster';
import { AlertComparison, AlertSeverity, ObservabilityStack } from '../../src/observability';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { USER_ALERT_GROUP } from '../../src/observability/alerting/user-alerts';
import { PlatformMetric } from '../../src/platform/platform-metric';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { requireTool } from '../conformance/tools';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** A summary that is Go template code and YAML if anything evaluated it. */
const HOSTILE = 'Checkout {{ .Labels.job }} slow: "quoted" # not a comment\n{{ printf "%s" "x" }}';

/** PutMetricAlarm in moto's mock with the template's properties (read from stdin), then DescribeAlarms. */
const PUT_ALARM = `
import json, sys, boto3
from moto import mock_aws
p = json.load(sys.stdin)
with mock_aws():
    cw = boto3.client("cloudwatch", region_name="us-east-1")
    keys = ["AlarmName", "AlarmDescription", "AlarmActions", "OKActions", "ComparisonOperator", "EvaluationPeriods", "Metrics", "Threshold", "TreatMissingData"]
    cw.put_metric_alarm(**{k: p[k] for k in keys})
    a = cw.describe_alarms(AlarmNames=["SessionsFull"])["MetricAlarms"][0]
    print(json.dumps({"comparison": a["ComparisonOperator"], "expression": next(m["Expression"] for m in a["Metrics"] if "Expression" in m),
                      "metrics": len(a["Metrics"]), "threshold": a["Threshold"]}))
`;

function kubernetes() {
  const chart = kubernetesChart();
  const observability = new ObservabilityStack(chart, 'Observability', { receivers: ONCALL });
  const checkout = new ServiceCluster(chart, 'Checkout', { image: 'ghcr.io/acme/checkout:1.0.0' });
  return { chart, observability, checkout };
}

function rulesOf(yaml: string): any[] {
  return parse(yaml).groups.find((g: any) => g.name === USER_ALERT_GROUP)?.rules ?? [];
}

const ruleNamed = (yaml: string, name: string) => rulesOf(yaml).find(r => r.alert === name);

describe('addAlert on kubernetes', () => {
  test('a user alert is a Prometheus rule in the rules ConfigMap, on the construct\'s own expression', () => {
    const { chart, observability, checkout } = kubernetes();
    observability.addAlert('CheckoutSlow', {
      metric: checkout.metricLatencyP99(), threshold: 0.8, duration: Duration.minutes(10), severity: AlertSeverity.PAGE, summary: 'Checkout is slow',
    });
    const rules = findObject(manifestsOf(chart), 'ConfigMap', 'prometheus-rules').data['platform.yml'];
    expect(ruleNamed(rules, 'CheckoutSlow')).toEqual({
      alert: 'CheckoutSlow',
      expr: `(${checkout.metricLatencyP99().promQl}) > 0.8`,
      for: '600s',
      labels: { severity: 'page', source: 'user' },
      annotations: { summary: 'Checkout is slow', description: 'Checkout is slow' },
    });
  });

  test('the stack\'s metricNames reach the expression of a service metric', () => {
    const chart = kubernetesChart();
    const observability = new ObservabilityStack(chart, 'Observability', { receivers: ONCALL, metricNames: { requestDuration: 'app_latency_seconds' } });
    const checkout = new ServiceCluster(chart, 'Checkout', { image: 'ghcr.io/acme/checkout:1.0.0' });
    observability.addAlert('CheckoutSlow', { metric: checkout.metricLatencyP99(), threshold: 1, summary: 'slow' });
    expect(ruleNamed(observability.renderAlertRules(), 'CheckoutSlow').expr).toContain('app_latency_seconds_bucket{job="checkout"}');
  });

  test('summary and description stay text: no template action of the user\'s reaches Prometheus', () => {
    const { observability } = kubernetes();
    observability.addAlert('Hostile', { metric: PlatformMetric.fromPromQl('vector(1)'), threshold: 0, summary: HOSTILE, description: HOSTILE });
    const rule = ruleNamed(observability.renderAlertRules(), 'Hostile');
    expect(rule.annotations.summary).not.toContain('{{ .Labels');
    expect(rule.annotations.summary).toContain('{{`{{`}} .Labels.job }}');
  });

  test('comparison operators and a zero duration (fires at once: no for)', () => {
    const { observability, checkout } = kubernetes();
    observability.addAlert('NoTraffic', {
      metric: checkout.metricRequestRate(), threshold: 1, comparison: AlertComparison.LESS_THAN_OR_EQUAL, duration: Duration.seconds(0), summary: 'no traffic',
    });
    const rule = ruleNamed(observability.renderAlertRules(), 'NoTraffic');
    expect(rule.expr).toBe(`(${checkout.metricRequestRate().promQl}) <= 1`);
    expect(rule.for).toBeUndefined();
    expect(rule.labels.severity).toBe('warning');
  });

  test('no user alert: no user group', () => {
    const { observability } = kubernetes();
    expect(rulesOf(observability.renderAlertRules())).toEqual([]);
  });
});

describe('addAlert validation', () => {
  const metric = PlatformMetric.fromPromQl('vector(1)');
  test('an id that is not an alert name', () => {
    const { observability } = kubernetes();
    expect(() => observability.addAlert('checkout slow', { metric, threshold: 1, summary: 's' })).toThrow(
      'platform/Observability: addAlert id is not an alert name (got "checkout slow"): a letter, then letters, digits or _, at most 63 characters (e.g. "CheckoutSlow")');
  });
  test('an id used twice', () => {
    const { observability } = kubernetes();
    observability.addAlert('Twice', { metric, threshold: 1, summary: 's' });
    expect(() => observability.addAlert('Twice', { metric, threshold: 1, summary: 's' })).toThrow(
      'platform/Observability: addAlert id is already used by another alert of this stack (got "Twice"): give each alert its own id');
  });
  test('a threshold that is not a finite number', () => {
    const { observability } = kubernetes();
    expect(() => observability.addAlert('A', { metric, threshold: NaN, summary: 's' })).toThrow(
      'platform/Observability: addAlert("A").threshold must be a finite number (got "NaN"): a number in the metric\'s unit');
  });
  test('a duration over a day', () => {
    const { observability } = kubernetes();
    expect(() => observability.addAlert('A', { metric, threshold: 1, summary: 's', duration: Duration.days(2) })).toThrow(
      'platform/Observability: addAlert("A").duration is out of range (got "172800 s"): between 0 and 24 hours (CloudWatch evaluates at most a day)');
  });
  test('an empty summary, and one too long', () => {
    const { observability } = kubernetes();
    expect(() => observability.addAlert('A', { metric, threshold: 1, summary: ' ' })).toThrow(
      'platform/Observability: addAlert("A").summary is empty (got " "): 1 to 900 characters of plain text');
    expect(() => observability.addAlert('B', { metric, threshold: 1, summary: 'x'.repeat(901) })).toThrow(
      `platform/Observability: addAlert("B").summary is too long (got "${'x'.repeat(40)}…"): 1 to 900 characters of plain text`);
  });
  test('a CloudWatch-only metric on kubernetes', () => {
    const { observability } = kubernetes();
    const cw = PlatformMetric.fromCloudWatch(new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent' }), { label: 'sent' });
    expect(() => observability.addAlert('A', { metric: cw, threshold: 1, summary: 's' })).toThrow(
      'platform/Observability: addAlert("A").metric has no PromQL expression, and Kubernetes has no CloudWatch (got "sent"): ' +
      'a construct\'s metric*() on kubernetes, or PlatformMetric.fromPromQl');
  });
});

describe('addAlert validation on AWS', () => {
  test('a CloudWatch expression over more metrics than an alarm takes', () => {
    const stack = awsStack();
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: ONCALL });
    const cache = new CacheCluster(stack, 'Sessions', { mode: CacheClusterMode.CLUSTER, shards: 4, replicas: 2 });
    expect(() => observability.addAlert('Full', { metric: cache.metricMemoryUtilization(), threshold: 0.9, summary: 's' })).toThrow(
      'Platform/Observability: addAlert("Full").metric combines more CloudWatch metrics than an alarm takes (10) (got "sessions memory used / maxmemory: 12 metrics"): ' +
      'alert on one node\'s metric, e.g. PlatformMetric.fromCloudWatch(cache.metric(name, { cacheClusterId }))');
    const node = PlatformMetric.fromCloudWatch(cache.metric('DatabaseMemoryUsagePercentage', { cacheClusterId: cache.memberClusterIds[0] }));
    observability.addAlert('NodeFull', { metric: node, threshold: 90, summary: 'first node nearly full' });
    expect(observability.aws!.alarms.map(a => a.node.id)).toContain('NodeFull');
  });
});

describe('addAlert with aws.cloudWatchAlarms off', () => {
  const render = () => {
    const stack = awsStack();
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: ONCALL, aws: { cloudWatchAlarms: false } });
    const checkout = new ServiceCluster(stack, 'Checkout', { image: 'ghcr.io/acme/checkout:1.0.0' });
    const cache = new CacheCluster(stack, 'Sessions');
    return { stack, observability, checkout, cache };
  };

  test('a CloudWatch-only metric is refused, naming the flag: no alarm is created behind the flag\'s back', () => {
    const { stack, observability, cache } = render();
    expect(() => observability.addAlert('SessionsFull', { metric: cache.metricMemoryUtilization(), threshold: 0.85, summary: 'nearly full' })).toThrow(
      'Platform/Observability: addAlert("SessionsFull").metric can only be a CloudWatch alarm (it has no PromQL expression), but aws.cloudWatchAlarms is false ' +
      '(got "sessions memory used / maxmemory"): set aws.cloudWatchAlarms to true');
    expect(observability.aws!.alarms).toEqual([]);
    expect(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).toEqual({});
  });

  test('a PromQL metric still becomes a rule of the Prometheus workspace, as the built-in alerts do', () => {
    const { stack, observability, checkout } = render();
    observability.addAlert('CheckoutErrors', { metric: checkout.metricErrorRate(), threshold: 0.05, summary: 'errors' });
    const yaml = Object.values(Template.fromStack(stack).findResources('AWS::APS::RuleGroupsNamespace'))[0].Properties.Data as string;
    expect(ruleNamed(yaml, 'CheckoutErrors').expr).toBe(`(${checkout.metricErrorRate().promQl}) > 0.05`);
    expect(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).toEqual({});
  });
});

describe('addAlert on AWS', () => {
  function aws() {
    const stack = awsStack();
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: ONCALL });
    const checkout = new ServiceCluster(stack, 'Checkout', { image: 'ghcr.io/acme/checkout:1.0.0' });
    const cache = new CacheCluster(stack, 'Sessions');
    observability.addAlert('CheckoutErrors', { metric: checkout.metricErrorRate(), threshold: 0.05, summary: HOSTILE, severity: AlertSeverity.CRITICAL });
    observability.addAlert('SessionsFull', {
      metric: cache.metricMemoryUtilization(), threshold: 0.85, duration: Duration.minutes(12), summary: 'Sessions cache is nearly full',
    });
    return { stack, observability, checkout, cache, template: Template.fromStack(stack) };
  }

  test('a PromQL metric goes to the workspace rule groups; a CloudWatch-only metric becomes an alarm on the alert topic', () => {
    const { template, checkout, observability } = aws();
    const data = template.findResources('AWS::APS::RuleGroupsNamespace');
    const yaml = Object.values(data)[0].Properties.Data as string;
    expect(ruleNamed(yaml, 'CheckoutErrors').expr).toBe(`(${checkout.metricErrorRate().promQl}) > 0.05`);
    expect(ruleNamed(yaml, 'SessionsFull')).toBeUndefined();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .filter((a: any) => String(a.Properties.AlarmDescription).startsWith('[SessionsFull]'));
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].Properties;
    expect(alarm.AlarmDescription).toBe('[SessionsFull] warning: Sessions cache is nearly full');
    expect(alarm.Threshold).toBe(0.85);
    expect(alarm.EvaluationPeriods).toBe(3);
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/AlertTopic/) }]);
    expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toBe('MAX([m0, m1, m2]) / 100');
    expect(observability.aws!.alarms.some(a => a.node.id === 'SessionsFull')).toBe(true);
  });

  test('metricTargetsDown is PromQL on AWS too (Amazon Managed Prometheus holds the scrape health), and a user alert on it is a workspace rule', () => {
    const { observability } = aws();
    expect(observability.metricTargetsDown().promQl).toBe('count by (job) (up == 0)');
    expect(observability.metricTargetsDown().cloudWatch).toBeUndefined();
    observability.addAlert('ManyTargetsDown', { metric: observability.metricTargetsDown(), threshold: 2, summary: 'several targets down' });
    expect(ruleNamed(observability.renderAlertRules(), 'ManyTargetsDown').expr).toBe('(count by (job) (up == 0)) > 2');
  });

  test('moto\'s CloudWatch accepts the alarm as the template declares it (its CloudFormation parser skips alarms)', () => {
    if (!requireTool('python3 -c "import moto, boto3"', 'pip install "moto[cloudformation]" boto3')) return;
    const { template } = aws();
    const alarm: any = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .find((a: any) => String(a.Properties.AlarmDescription).startsWith('[SessionsFull]'));
    const topic = 'arn:aws:sns:us-east-1:123456789012:alerts';
    const props = { ...alarm.Properties, AlarmName: 'SessionsFull', AlarmActions: [topic], OKActions: [topic] };
    const result = spawnSync('python3', ['-c', PUT_ALARM], { input: JSON.stringify(props), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ comparison: 'GreaterThanThreshold', expression: 'MAX([m0, m1, m2]) / 100', metrics: 4, threshold: 0.85 });
  });

  test('conformance with a user alarm: cdk-nag, cfn-lint and moto', () => {
    const { stack } = aws();
    const report = expectAwsConformance([stack]);
    console.info(`user alerts on AWS: ${report.resources} resources; cfn-lint ${report.cfnLintErrors.length} errors; ` +
      `moto ${report.moto.map(m => `${m.status}, skipped ${m.unsupportedTypes.join(' ')}`).join('; ')}`);
  });
});

describe('user alerts with promtool', () => {
  function rules() {
    const { observability, checkout } = kubernetes();
    observability.addAlert('CheckoutErrors', { metric: checkout.metricErrorRate(), threshold: 0.05, duration: Duration.minutes(5), summary: HOSTILE });
    return observability.renderAlertRules();
  }
  /** checkout answers `errors` 5xx among 1000 requests per minute. */
  const traffic = (errors: number) => [
    { series: 'http_requests_total{job="checkout", instance="10.0.0.1:8080", code="200"}', values: `0+${1000 - errors}x30` },
    { series: 'http_requests_total{job="checkout", instance="10.0.0.1:8080", code="500"}', values: `0+${errors}x30` },
  ];
  const testFile = {
    rule_files: ['rules.yml'],
    evaluation_interval: '1m',
    tests: [
      {
        name: 'fires at 10 % 5xx',
        interval: '1m',
        input_series: traffic(100),
        alert_rule_test: [{
          eval_time: '20m',
          alertname: 'CheckoutErrors',
          exp_alerts: [{
            exp_labels: { severity: 'warning', source: 'user', job: 'checkout', kind: 'service' },
            exp_annotations: { summary: HOSTILE, description: HOSTILE },
          }],
        }],
      },
      {
        name: 'stays quiet at 1 % 5xx',
        interval: '1m',
        input_series: traffic(10),
        alert_rule_test: [{ eval_time: '20m', alertname: 'CheckoutErrors', exp_alerts: [] }],
      },
    ],
  };

  test('promtool check rules accepts the user group', () => {
    if (!hasPromtool()) return;
    const result = withFiles({ 'rules.yml': rules() }, dir => run('promtool', ['check', 'rules', path.join(dir, 'rules.yml')]));
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  test('promtool test rules: the user alert fires above its threshold, stays quiet below, and its text arrives verbatim', () => {
    if (!hasPromtool()) return;
    const result = withFiles({ 'rules.yml': rules(), 'tests.yml': toYaml(testFile) }, dir => run('promtool', ['test', 'rules', 'tests.yml'], dir));
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });
});
