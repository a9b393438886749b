import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart } from 'cdk8s';
import { ONCALL } from './fakes';
import { LogDestination, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack, kubernetesChart } from '../util';

const targets: Array<[string, () => Stack | Chart]> = [['aws', () => awsStack()], ['kubernetes', () => kubernetesChart()]];
const create = (scope: Stack | Chart, props: ObservabilityStackProps) => () => new ObservabilityStack(scope, 'Observability', { receivers: ONCALL, ...props });
const PASSWORD = PlatformSecret.named('logs-store', 'password');

describe.each(targets)('where logs go: validation on %s', (_target, scope) => {
  test.each([
    ['a log store URL that is not a URL', { logs: LogDestination.otlp({ url: 'logs.example.com' }) },
      /Observability: logs.url is not an http\(s\) URL \(got "logs.example.com"\): use the base URL of the log store, e.g. "https:\/\/logs.example.com"/],
    ['a log store URL with an expansion', { logs: LogDestination.otlp({ url: 'https://logs.example.com/${env:HOME}' }) }, /logs.url is not an http\(s\) URL/],
    ['a log store URL carrying credentials', { logs: LogDestination.otlp({ url: 'https://u:p@logs.example.com' }) },
      /logs.url carries credentials in its URL \(got "<redacted>"\): remove the user name and password from the URL/],
    ['plain http in production', { logs: LogDestination.otlp({ url: 'http://logs.example.com/otlp' }) },
      /Observability: logs.url is not https under the production profile \(got "http:\/\/logs.example.com\/otlp"\): use an https URL: logs carry request data, and credentials travel with them; the development profile allows http/],
    ['plain http in production through the deprecated logsEndpoint', { logsEndpoint: 'http://logs.example.com/otlp' },
      /Observability: logsEndpoint is not https under the production profile \(got "http:\/\/logs.example.com\/otlp"\)/],
    ['both logs and logsEndpoint', { logs: LogDestination.platformStore(), logsEndpoint: 'https://logs.example.com/otlp' },
      /Observability: logsEndpoint is set together with logs \(got "https:\/\/logs.example.com\/otlp"\): set only logs: logsEndpoint is deprecated; use logs: LogDestination.otlp\(\{ url \}\)/],
    ['a retention in hours', { logs: LogDestination.platformStore({ retention: Duration.hours(36) }) },
      /Observability: logs retention is not a whole number of days from 1 to 3653 \(got "1.5 days"\): use Duration.days\(n\): the log store deletes whole days of logs/],
    ['a retention of ten years and more', { logs: LogDestination.platformStore({ retention: Duration.days(4000) }) }, /logs retention is not a whole number of days from 1 to 3653 \(got "4000 days"\)/],
  ])('%s', (_name, props, message) => {
    expect(create(scope(), props as ObservabilityStackProps)).toThrow(message);
  });

  test('plain http is allowed under the development profile', () => {
    const s = scope();
    PlatformProfile.DEVELOPMENT.applyTo(s);
    expect(create(s, { logs: LogDestination.otlp({ url: 'http://logs.example.com/otlp' }) })).not.toThrow();
  });
});

describe('where logs go: Kubernetes-only rules', () => {
  test.each([
    ['an index with capitals', { logs: LogDestination.elasticsearch({ url: 'https://es.example.com', index: 'Logs' }) },
      /Observability: logs.index is not an Elasticsearch index name \(got "Logs"\): use lowercase letters, digits and . _ \+ -, starting with a letter or digit/],
    ['a data stream dataset with a dash', { logs: LogDestination.openSearch({ url: 'https://os.example.com', dataset: 'my-app' }) },
      /Observability: logs.dataset is not a data stream name part \(got "my-app"\): use 1-100 lowercase letters, digits and "_"/],
    ['a data stream namespace with a space', { logs: LogDestination.openSearch({ url: 'https://os.example.com', namespace: 'a b' }) }, /logs.namespace is not a data stream name part \(got "a b"\)/],
    ['a user name with a line break', { logs: LogDestination.elasticsearch({ url: 'https://es.example.com', credentials: { username: 'otel\nx', passwordSecret: PASSWORD } }) },
      /Observability: logs.credentials.username is empty, too long or holds control characters \(got "otel\\nx"\): use 1-256 printable characters/],
    ['a Secrets Manager secret', {
      logs: LogDestination.otlp({ url: 'https://logs.example.com', authorizationSecret: PlatformSecret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(awsStack('S'), 'S', 'x')) }),
    }, /Observability: logs.authorizationSecret is a Secrets Manager secret on kubernetes \(got "Secrets Manager secret"\): use PlatformSecret.named\(name, key\)/],
    ['no log store replica', { kubernetes: { logStoreReplicas: 0 } }, /Observability: kubernetes.logStoreReplicas is out of range \(got 0\): use an integer from 1 to 5/],
    ['a log store volume under 1 GiB', { kubernetes: { logStorage: Size.mebibytes(512) } }, /kubernetes.logStorage \(GiB\) is out of range \(got 0\): use an integer from 1 to 65536/],
  ])('%s', (_name, props, message) => {
    expect(create(kubernetesChart(), props as ObservabilityStackProps)).toThrow(message);
  });
});

describe('where logs go on AWS', () => {
  test.each([
    ['Elasticsearch', LogDestination.elasticsearch({ url: 'https://es.example.com' }), 'elasticsearch'],
    ['OpenSearch', LogDestination.openSearch({ url: 'https://os.example.com' }), 'openSearch'],
  ])('%s is refused with a clear message: the ADOT collector has no such exporter', (_name, logs, factory) => {
    expect(create(awsStack(), { logs })).toThrow(new RegExp(`Observability: logs is not supported on aws \\(got "LogDestination.${factory}"\\): ` +
      'the ADOT collector has no Elasticsearch or OpenSearch exporter: use LogDestination.otlp'));
  });

  test('the store retention is the OTLP log group\'s, and must be a CloudWatch Logs period', () => {
    const stack = awsStack();
    new ObservabilityStack(stack, 'Observability', { receivers: ONCALL, logs: LogDestination.platformStore({ retention: Duration.days(14) }) });
    const groups = Object.entries<any>(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).filter(([id]) => id.includes('OtlpLogs'));
    expect(groups.map(([, g]) => g.Properties.RetentionInDays)).toEqual([14]);
    expect(create(awsStack(), { logs: LogDestination.platformStore({ retention: Duration.days(10) }) })).toThrow(
      /Observability: logs retention is not a CloudWatch Logs retention period on aws \(got "10 days"\): use one of 1, 3, 5, 7, 14, 30, 60, 90/);
  });

  test('an OTLP store with an Authorization header: the collector reads it from Secrets Manager, never from the template', () => {
    const stack = awsStack();
    const o = new ObservabilityStack(stack, 'Observability', {
      receivers: ONCALL, logs: LogDestination.otlp({ url: 'https://logs.example.com/otlp', authorizationSecret: PASSWORD }),
    });
    const definition = Stack.of(o).resolve((o.aws!.collectorTaskDefinition.node.defaultChild as any).containerDefinitions);
    const collector = definition.find((c: any) => c.name === 'collector');
    expect(collector.secrets.map((s: any) => s.name)).toEqual(['LOGS_AUTHORIZATION']);
    const config = JSON.stringify(Stack.of(o).resolve(collector.environment));
    expect(config).toContain('otlphttp/logs');
    expect(config).toContain('${env:LOGS_AUTHORIZATION}');
    // The secret adds an execution-role grant: cdk-nag, cfn-lint and moto still pass.
    expectAwsConformance([stack]);
  });
});
