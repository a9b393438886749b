import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { awsReferencePlatform, kubernetesReferencePlatform, templateOf } from './fixtures';
import { SIGNALS } from '../../src/observability/metrics/signals';

/**
 * What each target watches, per construct kind, read from the synthesized reference platform: the
 * Prometheus rule files (Kubernetes; the AMP rule groups namespace on AWS), the CloudWatch alarms
 * (their descriptions start with the alert they stand for), the Grafana dashboards and the
 * CloudWatch dashboard sections.
 */
interface Watched {
  /** kind → alert names. */
  readonly alerts: Map<string, Set<string>>;
  /** kind → dashboard panel titles. */
  readonly panels: Map<string, Set<string>>;
}

/**
 * Signals only one target can watch, and why. Anything else watched on one target only fails the
 * test; an entry here that both targets now watch fails it too, so the list cannot go stale.
 */
const ONE_TARGET_ONLY: Record<string, { readonly target: 'AWS' | 'Kubernetes'; readonly why: string }> = {
  'cache MetricsTargetDown': { target: 'Kubernetes', why: 'ElastiCache has no exporter on AWS: nothing is scraped, CloudWatch reports the nodes' },
  'cache CacheReplicaLinkDown': { target: 'Kubernetes', why: 'ElastiCache publishes no replica-link metric; it replaces a replica that loses its primary' },
  'cache CacheFailover': {
    target: 'Kubernetes',
    why: 'ElastiCache publishes no failover metric and no failover event to EventBridge (only Snapshot/Cache Created/Updated/Failed events)',
  },
  'mongo MetricsTargetDown': { target: 'Kubernetes', why: 'DocumentDB Elastic has no exporter on AWS: nothing is scraped' },
  'mongo MongoDown': { target: 'Kubernetes', why: 'it is mongodb_exporter losing its mongod; DocumentDB Elastic publishes no availability metric' },
  'mongo MongoReplicationLagHigh': { target: 'Kubernetes', why: 'DocumentDB Elastic publishes no per-shard replica lag in AWS/DocDB-Elastic' },
  'mongo MongoConnectionsHigh': {
    target: 'Kubernetes',
    why: 'AWS/DocDB-Elastic has DatabaseConnections but not the limit, so no ratio; the dashboard shows the count',
  },
  'mongo MongoCpuHigh': { target: 'AWS', why: 'mongodb_exporter exports no CPU and the Kubernetes Prometheus scrapes no cAdvisor' },
  'gateway ServiceCpuHigh': { target: 'AWS', why: 'the AWS gateway runs on ECS (CloudWatch CPU); Traefik exports no process CPU' },
  'gateway ServiceMemoryHigh': { target: 'AWS', why: 'the AWS gateway runs on ECS (CloudWatch memory); Traefik exports no process memory' },
  'queue MetricsTargetDown': { target: 'Kubernetes', why: 'SQS is a managed API: nothing is scraped, CloudWatch reports the queues' },
  'queue QueueNoConsumers': { target: 'Kubernetes', why: 'SQS publishes no consumer count; a backlog that grows and an old oldest message stand in for it' },
  'queue QueueMessageTooOld': {
    target: 'AWS',
    why: 'RabbitMQ quorum queues publish no age of the oldest message (rabbitmq_queue_head_message_timestamp has no samples on the real broker)',
  },
};

const KIND_OF_TITLE = new Map(Object.entries(SIGNALS).map(([kind, s]) => [s.title, kind]));

function add(map: Map<string, Set<string>>, kind: string, name: string): void {
  map.set(kind, new Set([...map.get(kind) ?? [], name]));
}

/** Alerts per kind of a Prometheus rule file: `platform-<kind>` groups, SLO alerts for kinds with SLO recordings, target health for every scraped kind. */
function ruleAlerts(yaml: string, into: Map<string, Set<string>>): void {
  const groups: any[] = parse(yaml).groups;
  const sloKinds = new Set(groups.flatMap(g => g.rules).filter(r => r.record).map(r => r.labels.kind));
  const scraped = new Set([...sloKinds, ...groups.map(g => /^platform-(\w+)$/.exec(g.name)?.[1]).filter(k => k && SIGNALS[k])]);
  for (const group of groups) {
    const alerts: string[] = group.rules.filter((r: any) => r.alert).map((r: any) => r.alert);
    const kinds = group.name === 'platform-slo-alerts' ? [...sloKinds]
      : group.name === 'platform-targets' ? [...scraped]
        : SIGNALS[group.name.replace(/^platform-/, '')] ? [group.name.replace(/^platform-/, '')] : [];
    for (const kind of kinds) alerts.forEach(a => add(into, kind, a));
  }
}

/** A CloudFormation string as text (references as `<…>`). */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
  return '<ref>';
}

function kubernetesWatched(): Watched {
  const { manifests } = kubernetesReferencePlatform();
  const alerts = new Map<string, Set<string>>();
  const panels = new Map<string, Set<string>>();
  const configMaps = manifests.filter(m => m.kind === 'ConfigMap');
  ruleAlerts(configMaps.find(m => m.metadata.name === 'prometheus-rules').data['platform.yml'], alerts);
  for (const map of configMaps.filter(m => m.metadata.name.startsWith('grafana-dashboards-'))) {
    for (const json of Object.values<string>(map.data ?? {})) {
      const dashboard = JSON.parse(json);
      const kind = dashboard.tags.find((t: string) => SIGNALS[t]);
      for (const panel of dashboard.panels) add(panels, kind, panel.title);
    }
  }
  return { alerts, panels };
}

function awsWatched(): Watched {
  const { stack } = awsReferencePlatform();
  const resources = Object.values<any>(templateOf(stack).Resources);
  const alerts = new Map<string, Set<string>>();
  const panels = new Map<string, Set<string>>();
  ruleAlerts(resources.find(r => r.Type === 'AWS::APS::RuleGroupsNamespace').Properties.Data, alerts);
  // Dashboard sections: a text widget `## <Title>: <job>`, then the section's graphs.
  const kindOfJob = new Map<string, string>();
  for (const dashboard of resources.filter(r => r.Type === 'AWS::CloudWatch::Dashboard')) {
    let kind = '';
    for (const widget of JSON.parse(text(dashboard.Properties.DashboardBody).replace(/<ref>/g, 'ref')).widgets) {
      const section = /^## (.+): (\S+)/.exec(widget.properties.markdown ?? '');
      if (section) {
        kind = KIND_OF_TITLE.get(section[1])!;
        kindOfJob.set(section[2], kind);
      } else if (widget.properties.title) {
        add(panels, kind, widget.properties.title);
      }
    }
  }
  for (const alarm of resources.filter(r => r.Type === 'AWS::CloudWatch::Alarm')) {
    const [, alert, job] = /^\[(\w+)\] (\S+):/.exec(text(alarm.Properties.AlarmDescription))!;
    add(alerts, kindOfJob.get(job)!, alert);
  }
  // Failed-backup events to the alert topic: `[<Alert>] <kind>: …`.
  for (const rule of resources.filter(r => r.Type === 'AWS::Events::Rule' && /^\[\w+\] \w+:/.test(r.Properties.Description ?? ''))) {
    const [, alert, kind] = /^\[(\w+)\] (\w+):/.exec(rule.Properties.Description)!;
    add(alerts, kind, alert);
  }
  return { alerts, panels };
}

const aws = awsWatched();
const kubernetes = kubernetesWatched();
const KINDS = Object.keys(SIGNALS);

/** The table that README's ObservabilityStack capability matrix carries. */
function parityTable(): string {
  const rows = ['| kind | signal | AWS | Kubernetes |', '|---|---|---|---|'];
  const cell = (has: boolean, key: string, target: string) => has ? '✅' : `— ${ONE_TARGET_ONLY[key]?.target === target ? '' : 'missing: '}${ONE_TARGET_ONLY[key] ? ONE_TARGET_ONLY[key].why : ''}`.trim();
  for (const kind of KINDS) {
    const names = [...new Set([...aws.alerts.get(kind) ?? [], ...kubernetes.alerts.get(kind) ?? []])].sort();
    for (const name of names) {
      const key = `${kind} ${name}`;
      const onAws = aws.alerts.get(kind)?.has(name) ?? false;
      const onKubernetes = kubernetes.alerts.get(kind)?.has(name) ?? false;
      rows.push(`| \`${kind}\` | \`${name}\` | ${onAws ? '✅' : cell(false, key, 'Kubernetes')} | ${onKubernetes ? '✅' : cell(false, key, 'AWS')} |`);
    }
    const panelList = (w: Watched) => [...w.panels.get(kind) ?? []].join(', ') || '—';
    rows.push(`| \`${kind}\` | dashboard | ${panelList(aws)} | ${panelList(kubernetes)} |`);
  }
  return rows.join('\n');
}

describe('observability parity of the reference platform', () => {
  test.each(KINDS)('%s: every alert one target has, the other has too, or it is listed with the reason only one can', kind => {
    const unlisted: string[] = [];
    const names = new Set([...aws.alerts.get(kind) ?? [], ...kubernetes.alerts.get(kind) ?? []]);
    for (const name of names) {
      const onAws = aws.alerts.get(kind)?.has(name) ?? false;
      const onKubernetes = kubernetes.alerts.get(kind)?.has(name) ?? false;
      const listed = ONE_TARGET_ONLY[`${kind} ${name}`];
      if (onAws && onKubernetes && listed) unlisted.push(`${name} is watched on both targets now: remove it from ONE_TARGET_ONLY`);
      if (onAws !== onKubernetes && listed?.target !== (onAws ? 'AWS' : 'Kubernetes')) {
        unlisted.push(`${name} is watched on ${onAws ? 'AWS' : 'Kubernetes'} only`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  test.each(KINDS)('%s: a dashboard section on both targets, and alerts on both', kind => {
    expect(aws.panels.get(kind)?.size).toBeGreaterThan(0);
    expect(kubernetes.panels.get(kind)?.size).toBeGreaterThan(0);
    expect(aws.alerts.get(kind)?.size).toBeGreaterThan(0);
    expect(kubernetes.alerts.get(kind)?.size).toBeGreaterThan(0);
  });

  test('every ONE_TARGET_ONLY entry names a signal the reference platform has', () => {
    const all = new Set(KINDS.flatMap(kind => [...aws.alerts.get(kind) ?? [], ...kubernetes.alerts.get(kind) ?? []].map(n => `${kind} ${n}`)));
    expect(Object.keys(ONE_TARGET_ONLY).filter(key => !all.has(key))).toEqual([]);
  });

  test("README's ObservabilityStack capability matrix carries this table (UPDATE_README=1 rewrites it)", () => {
    const readmePath = path.join(__dirname, '..', '..', 'README.md');
    const readme = fs.readFileSync(readmePath, 'utf8');
    const begin = '<!-- observability-parity:begin (generated by test/reference-platform/observability-parity.test.ts) -->';
    const end = '<!-- observability-parity:end -->';
    const pattern = new RegExp(`${escape(begin)}\\n(?:[\\s\\S]*?\\n)?${escape(end)}`);
    const generated = `${begin}\n${parityTable()}\n${end}`;
    if (process.env.UPDATE_README === '1') fs.writeFileSync(readmePath, readme.replace(pattern, generated));
    expect(pattern.exec(readme)?.[0]).toBe(generated);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
