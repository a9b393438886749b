import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart } from 'cdk8s';
import { FakeSource, ONCALL, Silent } from './fakes';
import { AlertReceiver, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { PlatformSecret } from '../../src/platform/secret';
import { awsStack, kubernetesChart, manifestsOf } from '../util';

const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];
const create = (scope: Stack | Chart, props: ObservabilityStackProps) => () => new ObservabilityStack(scope, 'Observability', { receivers: ONCALL, ...props });
const smSecret = () => PlatformSecret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(awsStack('Secrets'), 'S', 'slack'));
/** Synthesizes the scope: discovery (and its checks) runs then. */
const synth = (scope: Stack | Chart) => () => (scope instanceof Stack ? scope.node.root as any : undefined)?.synth() ?? manifestsOf(scope as Chart);

describe.each(targets)('ObservabilityStack validation on %s', (_target, scope) => {
  test.each([
    ['availability above 1', { slo: { availability: 1.5 } },
      /Observability: slo.availability must be between 0 and 1, exclusive \(got 1.5\): use a fraction such as 0.999 for 99.9 %/],
    ['availability of 1 (no error budget)', { slo: { availability: 1 } }, /slo.availability must be between 0 and 1, exclusive \(got 1\)/],
    ['availability as a percentage', { slo: { availability: 99.9 } }, /slo.availability must be between 0 and 1, exclusive \(got 99.9\)/],
    ['negative error rate', { slo: { errorRate: -0.01 } }, /slo.errorRate must be between 0 and 1, exclusive \(got -0.01\): use a fraction such as 0.01 for 1 %/],
    ['zero latency objective', { slo: { latencyP95: Duration.millis(0) } },
      /slo.latencyP95 \(seconds\) is out of range \(got 0\): use a number greater than 0 and at most 60/],
    ['retention with an unknown unit', { retention: '15x' },
      /Observability: retention is not a Prometheus duration \(got "15x"\): use a number and a unit among ms, s, m, h, d, w, y, e.g. "15d" or "1w3d"/],
    ['retention without a unit', { retention: '15' }, /retention is not a Prometheus duration \(got "15"\)/],
    ['zero retention', { retention: '0d' }, /retention is not a Prometheus duration \(got "0d"\)/],
    ['scrape interval too short', { scrapeInterval: Duration.seconds(2) }, /scrapeInterval \(seconds\) is out of range \(got 2\): use an integer from 5 to 300/],
    ['metric name with a dash', { metricNames: { requestsTotal: 'http-requests' } },
      /metricNames.requestsTotal is not a Prometheus metric name \(got "http-requests"\)/],
    ['label starting with a digit', { metricNames: { routeLabel: '1route' } }, /metricNames.routeLabel is not a Prometheus label name \(got "1route"\)/],
    ['service CPU above 100 % of its size', { resourceAlerts: { serviceCpuUtilization: 1.2 } },
      /resourceAlerts.serviceCpuUtilization is out of range \(got 1.2\): use a number greater than 0 and at most 1/],
    ['service memory at 0 % of its size', { resourceAlerts: { serviceMemoryUtilization: 0 } },
      /resourceAlerts.serviceMemoryUtilization is out of range \(got 0\): use a number greater than 0 and at most 1/],
    ['cache memory above 100 %', { resourceAlerts: { cacheMemoryUtilization: 1.5 } },
      /resourceAlerts.cacheMemoryUtilization is out of range \(got 1.5\): use a number greater than 0 and at most 1/],
    ['zero restarts', { resourceAlerts: { serviceRestartsPerHour: 0 } }, /resourceAlerts.serviceRestartsPerHour is out of range \(got 0\)/],
    ['logs endpoint without scheme', { logsEndpoint: 'logs.example.com' }, /logsEndpoint is not an http\(s\) URL \(got "logs.example.com"\)/],
    ['unknown receiver type', { receivers: [AlertReceiver.fromConfig({ type: 'pagerduty' })] },
      /Observability: receivers\[0\].type is not a known receiver type \(got "pagerduty"\): use one of webhook, slack, email/],
    ['webhook without URL', { receivers: [AlertReceiver.fromConfig({ type: 'webhook', webhook: { snsEnvelopeOnAws: true } })] }, /receivers\[0\].url is required for a webhook receiver/],
    ['webhook that is not http(s)', { receivers: [AlertReceiver.webhook('ftp://hooks.example.com', { snsEnvelopeOnAws: true })] }, /receivers\[0\].url is not an http\(s\) URL/],
    ['slack channel with a space', { receivers: [AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('s', 'k'), channel: 'platform alerts' })] },
      /receivers\[0\].slack.channel is not a Slack channel \(got "platform alerts"\)/],
    ['email without @', { receivers: [AlertReceiver.email({ to: 'oncall', sender: 'a@b.c', smarthost: 'smtp:25' })] },
      /receivers\[0\].email.to is not an email address \(got "oncall"\)/],
  ])('%s', (_name, props, message) => {
    expect(create(scope(), props as ObservabilityStackProps)).toThrow(message);
  });

  test('an alert on a construct that exposes no metrics', () => {
    const root = scope();
    const quiet = new Silent(root, 'Quiet');
    expect(create(root, { watch: [quiet] })).toThrow(new RegExp(
      'Observability: watch\\[0\\] \\(.*/Quiet\\) exposes no metrics \\(got "no metricsSource and no CloudWatch metrics"\\): watch only constructs with a metricsSource'));
  });

  test('an unknown metricsSource kind fails synthesis with the construct and the known kinds', () => {
    const root = scope();
    new ObservabilityStack(root, 'Observability', { receivers: ONCALL });
    new FakeSource(root, 'Search', { job: 'jobs', kind: 'search' });
    expect(synth(root)).toThrow(/Observability: metricsSource of .*\/Search: kind is unknown \(got "search"\): the observability stack knows service, gateway, cache, mongo, queue/);
  });

  test('two observed constructs with one job name', () => {
    const root = scope();
    new FakeSource(root, 'A', { job: 'sessions', kind: 'cache' });
    new FakeSource(root, 'B', { job: 'sessions', kind: 'cache' });
    new ObservabilityStack(root, 'Observability', { receivers: ONCALL });
    expect(synth(root)).toThrow(/metricsSource of .*\/B: job is also the job of .*\/A \(got "sessions"\): give every observed construct a distinct name/);
  });

  test('no receivers: every alert would go nowhere, refused by the production profile', () => {
    expect(() => new ObservabilityStack(scope(), 'Observability')).toThrow(new RegExp(
      'Observability: receivers is empty: every alert goes nowhere: nobody is told when an SLO burns or a primary fails \\(got \\[\\]\\): ' +
      'add an AlertReceiver \\(webhook, slack or email\\); the development profile allows none, with a warning'));
  });

  test('one stack per Stack or Chart', () => {
    const root = scope();
    new ObservabilityStack(root, 'Observability', { receivers: ONCALL });
    expect(() => new ObservabilityStack(root, 'Again', { receivers: ONCALL })).toThrow(/Again: an ObservabilityStack already exists in .* \(.*\/Observability\): create one per Stack or Chart/);
  });

  test('every problem is reported at once', () => {
    expect(create(scope(), { retention: 'forever', slo: { availability: 2 } })).toThrow(/2 problems:\n {2}- .*slo.availability.*\n {2}- .*retention is not/);
  });
});

describe('target-specific validation', () => {
  test('an https webhook is required on AWS; http is fine on Kubernetes', () => {
    const receivers = [AlertReceiver.webhook('http://relay.alerting.svc.cluster.local:8080/hook', { snsEnvelopeOnAws: true })];
    expect(create(awsStack(), { receivers })).toThrow(/receivers\[0\].url must use https on aws \(got "http:\/\/relay.*"\): SNS delivers to webhooks over the internet/);
    expect(create(kubernetesChart(), { receivers })).not.toThrow();
  });

  test("a webhook is refused on AWS unless it accepts SNS's envelope: the payload differs from Alertmanager's", () => {
    const plain = [AlertReceiver.webhook('https://oncall.example.com/hooks/platform')];
    expect(create(awsStack(), { receivers: plain })).toThrow(new RegExp(
      'receivers\\[0\\].webhook.snsEnvelopeOnAws must be true for a webhook on aws \\(got false\\): on aws the webhook becomes an SNS ' +
      "HTTPS subscription: it must confirm the subscription and read SNS's envelope, not Alertmanager's JSON; set " +
      'AlertReceiver.webhook\\(url, \\{ snsEnvelopeOnAws: true \\}\\) if it does'));
    expect(create(kubernetesChart(), { receivers: plain })).not.toThrow();
    const fromConfig = [AlertReceiver.fromConfig({ type: 'webhook', url: 'https://oncall.example.com/hooks/platform', webhook: { snsEnvelopeOnAws: true } })];
    expect(create(awsStack(), { receivers: fromConfig })).not.toThrow();
  });

  test('Slack needs an AWS Chatbot channel on AWS only', () => {
    const receivers = [AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('slack', 'url'), channel: '#alerts' })];
    expect(create(awsStack(), { receivers })).toThrow(/receivers\[0\].slack.awsChatbot is required on aws \(got undefined\): SNS cannot call a Slack webhook/);
    expect(create(kubernetesChart(), { receivers })).not.toThrow();
  });

  test('Kubernetes reads receiver credentials from Secrets by name', () => {
    expect(create(kubernetesChart(), { receivers: [AlertReceiver.slack({ apiUrlSecret: smSecret(), channel: '#alerts' })] }))
      .toThrow(/receivers\[0\].slack.apiUrlSecret must reference a Kubernetes Secret by name \(got "a Secrets Manager secret"\): use PlatformSecret.named/);
    expect(create(kubernetesChart(), { kubernetes: { grafanaAdminSecret: smSecret() } }))
      .toThrow(/kubernetes.grafanaAdminSecret is a Secrets Manager secret .*: use PlatformSecret.named\(name, key\)/);
  });

  test('an email receiver needs a sender and an SMTP relay on Kubernetes; SNS needs neither', () => {
    const receivers = [AlertReceiver.email({ to: 'oncall@example.com' })];
    expect(create(kubernetesChart(), { receivers })).toThrow(/2 problems:\n.*receivers\[0\].email.sender is required on kubernetes.*\n.*receivers\[0\].email.smarthost must be host:port on kubernetes/);
    expect(create(awsStack(), { receivers })).not.toThrow();
  });

  test('retention beyond what AMP keeps fails on AWS only', () => {
    expect(create(awsStack(), { retention: '4y' })).toThrow(/retention exceeds what Amazon Managed Service for Prometheus keeps on aws \(got "4y"\): use at most 1095 days/);
    expect(create(kubernetesChart(), { retention: '4y' })).not.toThrow();
  });

  test.each([
    ['no Prometheus replica', { prometheusReplicas: 0 }, /kubernetes.prometheusReplicas is out of range \(got 0\): use an integer from 1 to 10/],
    ['a size Prometheus cannot read', { retentionSize: '45 GB' }, /kubernetes.retentionSize is not a Prometheus size \(got "45 GB"\): use a whole number and a unit among B, KB/],
    ['size retention above the volume', { prometheusStorage: Size.gibibytes(50), retentionSize: '60GB' },
      /kubernetes.retentionSize must be smaller than kubernetes.prometheusStorage \(got "60GB"\): stay below 50GB/],
    ['an unpinned image', { images: { grafana: 'grafana/grafana:latest' } }, /kubernetes.images.grafana is not pinned \(got "grafana\/grafana:latest"\)/],
    ['a node-log namespace that is not a DNS label', { nodeLogCollection: { namespace: 'Node_Logs' } },
      /kubernetes.nodeLogCollection.namespace is not a DNS label \(got "Node_Logs"\)/],
  ])('Kubernetes: %s', (_name, kubernetes, message) => {
    expect(create(kubernetesChart(), { kubernetes })).toThrow(message);
    expect(create(awsStack(), { kubernetes })).not.toThrow();
  });

  test('Kubernetes: node logs in the platform\'s own namespace (it would turn privileged)', () => {
    expect(create(kubernetesChart(), { kubernetes: { nodeLogCollection: { namespace: 'shop' } } })).toThrow(
      'platform/Observability: kubernetes.nodeLogCollection.namespace is the platform\'s own namespace (got "shop"): use a namespace of its own: ' +
      'the collector reads host paths, which needs Pod Security "privileged", and the platform\'s namespace stays "restricted"');
  });

  test('AWS: an unpinned collector image', () => {
    expect(create(awsStack(), { aws: { collectorImage: 'public.ecr.aws/aws-observability/aws-otel-collector:latest' } }))
      .toThrow(/aws.collectorImage is not pinned/);
  });

  test('Kubernetes: a metrics source must select its pods, and may not take a job name of the stack', () => {
    const chart = kubernetesChart();
    new FakeSource(chart, 'Anonymous', { job: 'anonymous', kind: 'cache', selector: {} });
    new FakeSource(chart, 'Tracing', { job: 'jaeger', kind: 'service' });
    new ObservabilityStack(chart, 'Observability', { receivers: ONCALL });
    expect(() => manifestsOf(chart)).toThrow(new RegExp('2 problems:\n.*metricsSource of platform/Anonymous: selector is empty on kubernetes \\(got \\{\\}\\)' +
      '.*\n.*metricsSource of platform/Tracing: job is reserved for the observability stack \\(got "jaeger"\\)'));
  });
});
