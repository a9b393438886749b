import { Yaml } from 'cdk8s';
import { AlertReceiver } from './receivers';
import { goTemplateText } from '../../platform/escape/go-template';
import { PlatformSecret } from '../../platform/secret';

/** The one receiver every alert goes to; it fans out to every configured integration. */
export const RECEIVER_NAME = 'platform';

/**
 * Routing shared by both targets (pure): group per alert and job, page-severity alerts repeat
 * hourly, and a fast budget burn silences the slower alerts it implies for the same job.
 */
export function alertRouting(): Record<string, unknown> {
  return {
    route: {
      receiver: RECEIVER_NAME,
      group_by: ['alertname', 'job'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ receiver: RECEIVER_NAME, matchers: ['severity="page"'], repeat_interval: '1h' }],
    },
    inhibit_rules: [
      {
        source_matchers: ['alertname="SloErrorBudgetBurnFast"'],
        target_matchers: ['alertname=~"SloErrorBudgetBurnSlow|SloErrorRateHigh"'],
        equal: ['job'],
      },
      {
        // A target that cannot be scraped makes every other alert on it meaningless.
        source_matchers: ['alertname="MetricsTargetDown"'],
        target_matchers: ['severity="warning"'],
        equal: ['job', 'instance'],
      },
    ],
  };
}

const SLACK_TITLE = '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.job }})';
const SLACK_TEXT = '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n{{ end }}';

/**
 * alertmanager.yml for Kubernetes (pure). `secretFile` maps a secret reference to the path where it
 * is mounted; credentials are referenced with `*_file` fields only.
 */
export function alertmanagerConfig(receivers: readonly AlertReceiver[], secretFile: (secret: PlatformSecret) => string): Record<string, unknown> {
  const of = (type: string) => receivers.filter(r => r.receiverType === type);
  const integrations: Record<string, unknown[]> = {
    webhook_configs: of('webhook').map(r => ({ url: r.url, send_resolved: true })),
    slack_configs: of('slack').map(r => ({
      api_url_file: secretFile(r.slackOptions!.apiUrlSecret),
      // channel, to and from are Go templates to Alertmanager: user strings are escaped as template text.
      channel: goTemplateText(r.slackOptions!.channel),
      send_resolved: true,
      title: SLACK_TITLE,
      text: SLACK_TEXT,
    })),
    email_configs: of('email').map(r => {
      const e = r.emailOptions!;
      return {
        to: goTemplateText(e.to),
        from: e.sender === undefined ? undefined : goTemplateText(e.sender),
        smarthost: e.smarthost,
        require_tls: e.requireTls ?? true,
        send_resolved: true,
        ...(e.username ? { auth_username: e.username } : {}),
        ...(e.passwordSecret ? { auth_password_file: secretFile(e.passwordSecret) } : {}),
      };
    }),
  };
  const receiver: Record<string, unknown> = { name: RECEIVER_NAME };
  for (const [key, configs] of Object.entries(integrations)) if (configs.length > 0) receiver[key] = configs;
  return { ...alertRouting(), receivers: [receiver] };
}

/**
 * Alertmanager configuration of an Amazon Managed Service for Prometheus workspace (pure): the
 * same routing, delivered to the SNS alert topic (signed with SigV4 by the service).
 */
export function ampAlertmanagerConfig(topicArn: string, region: string): Record<string, unknown> {
  return {
    ...alertRouting(),
    receivers: [{
      name: RECEIVER_NAME,
      sns_configs: [{
        topic_arn: topicArn,
        sigv4: { region },
        send_resolved: true,
        subject: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
        attributes: { severity: '{{ .CommonLabels.severity }}' },
      }],
    }],
  };
}

/** The `alertManagerDefinition` document of an AMP workspace. */
export function ampAlertManagerDefinition(topicArn: string, region: string): string {
  return toYaml({ alertmanager_config: toYaml(ampAlertmanagerConfig(topicArn, region)) });
}

/**
 * YAML without line folding (tokens and long PromQL stay on one line) and without anchors (a
 * shared array would otherwise be written once and aliased; not every reader resolves aliases).
 */
export function toYaml(document: unknown): string {
  return Yaml.stringify(JSON.parse(JSON.stringify(document)));
}
