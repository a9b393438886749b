import * as fc from 'fast-check';
import { parse } from 'yaml';
import { kubernetesCollector } from './collector-configs';
import { hasAmtool, run, withFiles } from './engines';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { alertmanagerConfig, toYaml } from '../../src/observability/alerting/alertmanager-config';
import { receiverProblems } from '../../src/observability/alerting/receiver-validation';
import { PlatformSecret } from '../../src/platform/secret';
import { PlatformTarget } from '../../src/platform/target';
import { evaluateGoTemplate } from '../conformance/languages/go-template';
import { ENGINE_TIMEOUT_MS, oneHostile, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { expandOtel } from '../conformance/languages/otel-expansion';
import { kubernetesChart } from '../util';

const secretFile = (s: PlatformSecret) => `/etc/alertmanager/secrets/${s.secretName}/${s.key}`;
const create = (receivers: AlertReceiver[]) => () => new ObservabilityStack(kubernetesChart(), 'Observability', { receivers });
const slack = (channel: string) => AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('slack', 'url'), channel });

describe('Alertmanager receivers: addresses are data, URLs are URLs', () => {
  test.each([
    ['a Slack channel with template code', slack('#alerts{{.Status}}'), /receivers\[0\].slack.channel is not a Slack channel \(got "#alerts\{\{.Status\}\}"\): use "#name"/],
    ['an email address with template code', AlertReceiver.email({ to: '{{.X}}@example.com', sender: 'am@example.com', smarthost: 'smtp.example.com:587' }),
      /receivers\[0\].email.to is not an email address \(got "\{\{.X\}\}@example.com"\)/],
    ['a sender that is not an address', AlertReceiver.email({ to: 'oncall@example.com', sender: 'am@example.com\nBcc: x@evil.example', smarthost: 'smtp.example.com:587' }),
      /receivers\[0\].email.sender is not an email address/],
    ['a webhook URL with a control character', AlertReceiver.webhook('https://hooks.example.com/a\u0007b'),
      /receivers\[0\].url is not an http\(s\) URL \(got "https:\/\/hooks.example.com\/a\\u0007b"\): use e.g./],
    ['a webhook URL with a line break', AlertReceiver.webhook('https://hooks.example.com/\nx'), /receivers\[0\].url is not an http\(s\) URL/],
    ['a smarthost port out of range', AlertReceiver.email({ to: 'oncall@example.com', sender: 'am@example.com', smarthost: 'smtp.example.com:99999' }),
      /receivers\[0\].email.smarthost must be host:port on kubernetes/],
  ])('%s is refused at construction', (_case, receiver, message) => {
    expect(create([receiver])).toThrow(message);
  });

  test('property: any string in a receiver is refused, or reaches Alertmanager unchanged and amtool accepts the file', () => {
    const accepted: Record<string, string> = {};
    const valid = {
      channel: '#alerts',
      to: 'oncall@example.com',
      sender: 'Alertmanager <am@example.com>',
      smarthost: 'smtp.example.com:587',
      username: 'am',
      url: 'https://hooks.example.com/alerts',
    };
    fc.assert(fc.property(oneHostile(valid), s => {
      const receivers = [
        AlertReceiver.webhook(s.url), slack(s.channel),
        AlertReceiver.email({ to: s.to, sender: s.sender, smarthost: s.smarthost, username: s.username, passwordSecret: PlatformSecret.named('smtp', 'password') }),
      ];
      if (receiverProblems(kubernetesChart(), receivers, PlatformTarget.KUBERNETES).length > 0) return;
      const file = toYaml(alertmanagerConfig(receivers, secretFile));
      const [receiver] = parse(file).receivers;
      // Alertmanager expands channel, to and from as templates; the others are read as they are.
      expect(evaluateGoTemplate(receiver.slack_configs[0].channel)).toBe(s.channel);
      expect(evaluateGoTemplate(receiver.email_configs[0].to)).toBe(s.to);
      expect(evaluateGoTemplate(receiver.email_configs[0].from)).toBe(s.sender);
      expect(receiver.email_configs[0].smarthost).toBe(s.smarthost);
      expect(receiver.email_configs[0].auth_username).toBe(s.username);
      expect(receiver.webhook_configs[0].url).toBe(s.url);
      accepted[`alertmanager-${Object.keys(accepted).length}.yml`] = file;
      // Most hostile values are refused: the valid props run too, so amtool always checks one file.
    }), { ...PROPERTY_RUNS, examples: [[valid]] });
    expect(Object.keys(accepted).length).toBeGreaterThan(0);
    if (!hasAmtool()) return;
    withFiles(accepted, dir => {
      const result = run('amtool', ['check-config', ...Object.keys(accepted)], dir);
      expect(result.output).not.toMatch(/FAILED/);
      expect(result.output).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
    });
  }, ENGINE_TIMEOUT_MS);
});

describe('OpenTelemetry Collector: the logs endpoint is a URL, never an expansion', () => {
  test('an environment reference in logsEndpoint is refused; a "$" is escaped for the collector', () => {
    expect(() => new ObservabilityStack(kubernetesChart(), 'Observability', { logsEndpoint: 'https://logs.example.com/${env:AWS_SECRET_ACCESS_KEY}' }))
      .toThrow(/Observability: logsEndpoint is not an http\(s\) URL \(got "https:\/\/logs.example.com\/\$\{env:AWS_SECRET_ACCESS_KEY\}"\)/);
    expect(() => new ObservabilityStack(kubernetesChart(), 'Observability', { logsEndpoint: 'https://u:p@logs.example.com/otlp' }))
      .toThrow(/logsEndpoint carries credentials in its URL/);
    const config: any = kubernetesCollector({ kind: 'otlp', url: 'https://logs.example.com/a$HOME/otlp' });
    expect(expandOtel(config.exporters['otlphttp/logs'].endpoint, { HOME: '/root' })).toBe('https://logs.example.com/a$HOME/otlp');
  });
});
