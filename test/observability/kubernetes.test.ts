import * as fs from 'fs';
import * as path from 'path';
import { Size } from 'aws-cdk-lib';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { expressionsAsRules, hasAmtool, hasPromtool, run, withFiles } from './engines';
import { configMapData, dashboardFiles, inShop, podSpec, RECEIVERS, render, tcp } from './kubernetes-fixture';
import { ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { expectKubeClasses, findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('ObservabilityStack on Kubernetes', () => {
  test('escape hatches are typed k8s objects: a patch through the typed Prometheus StatefulSet reaches the manifest', () => {
    const chart = kubernetesChart();
    const stack = new ObservabilityStack(chart, 'Observability', { receivers: RECEIVERS });
    const resources = stack.kubernetes!;
    expectKubeClasses(resources, { prometheusRules: k8s.KubeConfigMap });
    const component = { serviceAccount: k8s.KubeServiceAccount, service: k8s.KubeService, networkPolicy: k8s.KubeNetworkPolicy };
    const present = (objects: object, classes: Record<string, Function>) =>
      Object.fromEntries(Object.entries(classes).filter(([name]) => (objects as Record<string, unknown>)[name] !== undefined));
    const optional = { configMap: k8s.KubeConfigMap, disruptionBudget: k8s.KubePodDisruptionBudget };
    for (const objects of [resources.prometheus!, resources.alertmanager!, resources.jaeger, resources.logStore!]) {
      expectKubeClasses(objects, { ...component, statefulSet: k8s.KubeStatefulSet, headlessService: k8s.KubeService, ...present(objects, optional) });
    }
    for (const objects of [resources.grafana!, resources.collector]) {
      expectKubeClasses(objects, { ...component, deployment: k8s.KubeDeployment, ...present(objects, optional) });
    }
    const prometheus: k8s.KubeStatefulSet = resources.prometheus!.statefulSet;
    prometheus.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 30));
    expect(findObject(manifestsOf(chart), 'StatefulSet', 'prometheus').spec.minReadySeconds).toBe(30);
  });

  test('matches the snapshot', () => {
    expect(render().manifests).toMatchSnapshot();
  });
  test('conformance: strict schema, Pod Security restricted, reliability', () => {
    const { manifests } = render();
    const report = expectKubernetesConformance(manifests);
    expect(report.objects).toBe(manifests.length);
    console.info(`observability on Kubernetes: ${report.objects} objects; findings: schema ${report.byValidator.schema}, ` +
      `pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}`);
  });
  test('Prometheus: HA pair, retained volume per replica, retention by time and size, restricted pods', () => {
    const { manifests } = render({ retention: '30d', kubernetes: { prometheusStorage: Size.gibibytes(100) } });
    const sts = findObject(manifests, 'StatefulSet', 'prometheus');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    const pod = sts.spec.template.spec;
    expect(pod.containers[0].image).toBe('prom/prometheus:v2.53.1');
    expect(pod.containers[0].args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=90GB']));
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(findObject(manifests, 'PodDisruptionBudget', 'prometheus').spec.maxUnavailable).toBe(1);
    expect(sts.spec.template.metadata.annotations['observability.platform/config-checksum']).toMatch(/^[0-9a-f]{16}$/);
  });
  test('a configuration change changes the checksum, so the pods roll', () => {
    const checksum = (props: ObservabilityStackProps) => findObject(render(props).manifests, 'StatefulSet', 'prometheus')
      .spec.template.metadata.annotations['observability.platform/config-checksum'];
    expect(checksum({})).toBe(checksum({}));
    expect(checksum({ slo: { availability: 0.99 } })).not.toBe(checksum({}));
  });
  test('the rendered prometheus.yml, rules and alertmanager.yml pass promtool and amtool', () => {
    const { manifests } = render();
    const rules = configMapData(manifests, 'prometheus-rules')['platform.yml'];
    const config = parse(configMapData(manifests, 'prometheus')['prometheus.yml']);
    if (hasPromtool()) {
      const result = withFiles({ 'rules/platform.yml': rules }, dir => {
        config.rule_files = [path.join(dir, 'rules', '*.yml')];
        fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
        return run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]);
      });
      expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
      expect(result.status).toBe(0);
    }
    if (hasAmtool()) {
      const am = withFiles({ 'alertmanager.yml': configMapData(manifests, 'alertmanager')['alertmanager.yml'] },
        dir => run('amtool', ['check-config', path.join(dir, 'alertmanager.yml')]));
      expect(am.output).toContain('SUCCESS');
      expect(am.status).toBe(0);
    }
  });
  test('Alertmanager: clustered replicas, receivers read credentials from mounted Secret files', () => {
    const { manifests } = render();
    const sts = findObject(manifests, 'StatefulSet', 'alertmanager');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('alertmanager-headless');
    const [container] = sts.spec.template.spec.containers;
    expect(container.args).toEqual(expect.arrayContaining([
      '--cluster.peer=alertmanager-0.alertmanager-headless.shop.svc.cluster.local:9094',
      '--cluster.peer=alertmanager-1.alertmanager-headless.shop.svc.cluster.local:9094',
    ]));
    expect(sts.spec.template.spec.volumes).toEqual(expect.arrayContaining([
      { name: 'secret-alerting-slack', secret: { secretName: 'alerting-slack' } },
      { name: 'secret-alerting-smtp', secret: { secretName: 'alerting-smtp' } },
    ]));
    expect(container.volumeMounts).toContainEqual({ name: 'secret-alerting-slack', mountPath: '/etc/alertmanager/secrets/alerting-slack', readOnly: true });
    const config = parse(configMapData(manifests, 'alertmanager')['alertmanager.yml']);
    expect(config.receivers[0].slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/alerting-slack/webhook-url');
    expect(config.receivers[0].email_configs[0].auth_password_file).toBe('/etc/alertmanager/secrets/alerting-smtp/password');
    expect(objectsOfKind(manifests, 'Secret')).toHaveLength(0);
    const policy = findObject(manifests, 'NetworkPolicy', 'alertmanager').spec;
    expect(policy.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443, 587) });
    expect(policy.ingress).toContainEqual({ from: [inShop('alertmanager')], ports: [{ protocol: 'TCP', port: 9094 }, { protocol: 'UDP', port: 9094 }] });
  });
  test('Grafana: admin password from a Secret, provisioned data sources, one dashboard per construct', () => {
    const { manifests } = render();
    const pod = podSpec(manifests, 'Deployment', 'grafana');
    expect(pod.securityContext.runAsUser).toBe(472);
    expect(pod.containers[0].env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'password' } } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/grafana' });
    const datasources = parse(configMapData(manifests, 'grafana')['datasources.yml']).datasources;
    expect(datasources.map((d: any) => [d.type, d.url])).toEqual([
      ['prometheus', 'http://prometheus.shop.svc.cluster.local:9090'],
      ['alertmanager', 'http://alertmanager.shop.svc.cluster.local:9093'],
      ['jaeger', 'http://jaeger.shop.svc.cluster.local:16686'],
      ['loki', 'http://loki.shop.svc.cluster.local:3100'],
    ]);
    const dashboards = dashboardFiles(manifests);
    expect(Object.keys(dashboards).sort()).toEqual(['_platform-logs.json', 'orders.json', 'users.json']);
    const users = JSON.parse(dashboards['users.json']);
    expect(users).toMatchObject({ uid: 'platform-users', title: 'Service: users' });
    expect(users.panels.map((p: any) => p.title)).toEqual([
      'Requests per route', '5xx ratio', 'p95 latency per route', 'Error budget burn rate', 'CPU (cores)', 'Memory (resident)', 'Restarts (1h)',
    ]);
  });
  test('every PromQL expression of the provisioned dashboards parses (promtool)', () => {
    const dashboards = dashboardFiles(render().manifests);
    // The log search dashboard queries Loki (LogQL); every other panel queries Prometheus.
    const expressions = Object.values<string>(dashboards)
      .flatMap(json => JSON.parse(json).panels.filter((p: any) => p.datasource.type === 'prometheus').flatMap((p: any) => p.targets.map((t: any) => t.expr)));
    expect(expressions.length).toBeGreaterThan(10);
    if (!hasPromtool()) return;
    const result = withFiles({ 'parse.yml': JSON.stringify(expressionsAsRules(expressions)) }, dir => run('promtool', ['check', 'rules', path.join(dir, 'parse.yml')]));
    expect(result.status).toBe(0);
  });
  test('traces: the collector exports OTLP to Jaeger, which keeps them on a volume', () => {
    const { manifests } = render();
    const collector = parse(configMapData(manifests, 'otel-collector')['collector.yaml']);
    expect(collector.exporters['otlp/jaeger'].endpoint).toBe('jaeger.shop.svc.cluster.local:4317');
    expect(collector.service.pipelines.logs.exporters).toEqual(['otlphttp/loki-0', 'otlphttp/loki-1']);
    expect(findObject(manifests, 'Deployment', 'otel-collector').spec.replicas).toBe(2);
    const jaeger = findObject(manifests, 'StatefulSet', 'jaeger');
    expect(jaeger.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'SPAN_STORAGE_TYPE', value: 'badger' }, { name: 'BADGER_SPAN_STORE_TTL', value: '72h' },
    ]));
    expect(jaeger.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(findObject(manifests, 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual({ from: [inShop('otel-collector')], ports: tcp(4317) });
  });
  test('logs go to logsEndpoint over OTLP/HTTP when set', () => {
    const { manifests } = render({ logsEndpoint: 'https://logs.example.com/otlp' });
    const collector = parse(configMapData(manifests, 'otel-collector')['collector.yaml']);
    expect(collector.exporters['otlphttp/logs']).toMatchObject({ endpoint: 'https://logs.example.com/otlp', retry_on_failure: { enabled: true } });
    expect(collector.service.pipelines.logs.exporters).toEqual(['otlphttp/logs']);
    expect(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443) });
  });
});
