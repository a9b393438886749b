import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { parseAllDocuments } from 'yaml';
import { EXAMPLES } from '../examples/examples';
import { synthAws, synthKubernetes } from '../examples/synth';
import { ServiceCluster } from '../src';
import { expectAwsConformance } from './conformance/aws';
import { checkKubernetesManifests, formatFindings } from './conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from './util';

/** Custom resource kinds the library emits with no CRD stored in the harness (apiVersion/kind as in a finding's object name). */
const UNCHECKED_CUSTOM_RESOURCES = ['keda.sh/v1alpha1/ScaledObject ', 'keda.sh/v1alpha1/TriggerAuthentication '];

describe.each(EXAMPLES.map(e => [e.name, e] as const))('example %s', (name, example) => {
  test('synthesizes to synth-output/<example>/aws/*.template.json and kubernetes/*.k8s.yaml', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
    try {
      const aws = synthAws(example, path.join(outdir, 'aws'));
      const kube = synthKubernetes(example, path.join(outdir, 'kubernetes'));
      const templates = fs.readdirSync(aws).filter(f => f.endsWith('.template.json') && !f.endsWith('.nested.template.json'));
      expect(templates.length).toBeGreaterThan(0);
      const yamlFiles = fs.readdirSync(kube).filter(f => f.endsWith('.k8s.yaml'));
      expect(yamlFiles).toEqual([`${name}.k8s.yaml`]);
      const objects = parseAllDocuments(fs.readFileSync(path.join(kube, yamlFiles[0]), 'utf8')).map(d => d.toJSON());
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.every(o => o.metadata.namespace === name || o.kind === 'Namespace')).toBe(true);
      // The pinned cdk CLI (2.x) reads the assembly: `cdk deploy` would see the same stacks.
      const listed = execFileSync(require.resolve('aws-cdk/bin/cdk'), ['ls', '--app', aws], { encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
      expect(listed.trim().split('\n')).toEqual(templates.map(t => t.replace('.template.json', '')));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('AWS conformance: cdk-nag, cfn-lint, moto', () => {
    const stack = awsStack(name);
    example.define(stack);
    const report = expectAwsConformance([stack]);
    console.info(`${name} on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged with reasons); cfn-lint ${report.cfnLintErrors.length} errors, ` +
      `${report.cfnLintWarnings.length} warnings; moto ${report.moto.map(m => m.status).join(', ')}`);
  });

  test('Kubernetes conformance: strict schema, Pod Security restricted, reliability', () => {
    const chart = kubernetesChart(name, name);
    example.define(chart);
    const report = checkKubernetesManifests(manifestsOf(chart));
    // Every other custom resource is checked against its CRD by the harness; KEDA's are checked by the message-queue tests.
    const problems = report.findings.filter(f => !(f.rule === 'Schema-UnknownKind' && UNCHECKED_CUSTOM_RESOURCES.some(kind => f.object.startsWith(kind))));
    expect(formatFindings(problems)).toBe('');
    console.info(`${name} on Kubernetes: ${report.objects} objects; findings: schema ${report.byValidator.schema}, ` +
      `pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}`);
  });
});

describe('service-cluster example', () => {
  test('the organisation subclass sets its defaults and hooks on both targets', () => {
    const chart = kubernetesChart('ex', 'ex');
    EXAMPLES.find(e => e.name === 'service-cluster')!.define(chart);
    const manifests = manifestsOf(chart);
    const catalog = findObject(manifests, 'Deployment', 'catalog');
    expect(catalog.metadata.annotations).toEqual({ 'acme.example/cost-report': 'enabled' });
    expect(catalog.spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'ACME_TEAM', value: 'merchandising' }, { name: 'OTEL_SERVICE_NAME', value: 'catalog' },
    ]));
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'catalog').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    // orders reaches catalog through its endpoint, and only orders may.
    expect(findObject(manifests, 'Deployment', 'orders').spec.template.spec.containers[0].env)
      .toContainEqual({ name: 'CATALOG_URL', value: 'http://catalog.ex.svc.cluster.local:80' });
    expect(findObject(manifests, 'NetworkPolicy', 'catalog').spec.ingress).toHaveLength(1);

    const stack = awsStack('Ex');
    EXAMPLES.find(e => e.name === 'service-cluster')!.define(stack);
    const catalogOnAws = stack.node.findChild('Catalog') as ServiceCluster;
    const template = Template.fromStack(catalogOnAws.aws!.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 20 });
    expect(stack.node.findAll().some(c => c.node.metadata.some(m => m.type === 'acme:cost-report'))).toBe(true);
  });
});
