import { Template } from 'aws-cdk-lib/assertions';
import { definePrometheusOperator } from '../../examples/prometheus-operator';
import { expectAwsConformance } from '../conformance/aws';
import { checkKubernetesManifests, formatFindings } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('prometheus-operator example', () => {
  test('Kubernetes: a ServiceMonitor per construct and a PrometheusRule, valid against the operator\'s CRDs; the rest conformant', () => {
    const chart = kubernetesChart('prometheus-operator', 'prometheus-operator');
    definePrometheusOperator(chart);
    const manifests = manifestsOf(chart);
    expect(objectsOfKind(manifests, 'ServiceMonitor').map(m => m.metadata.name).sort()).toEqual(['catalog', 'catalog-cache', 'jaeger', 'loki', 'otel-collector']);
    for (const monitor of objectsOfKind(manifests, 'ServiceMonitor')) expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(findObject(manifests, 'PrometheusRule', 'platform-rules').metadata.labels.release).toBe('kube-prometheus-stack');
    // The ServiceMonitors and the PrometheusRule against the operator's CRDs, the rest against Kubernetes 1.27.
    expect(formatFindings(checkKubernetesManifests(manifests).findings)).toBe('');
    expect(objectsOfKind(manifests, 'StatefulSet').map(o => o.metadata.name)).not.toContain('prometheus');
  });

  test('AWS: the existing workspace and topic; cdk-nag, cfn-lint and moto clean', () => {
    const stack = awsStack('prometheus-operator');
    definePrometheusOperator(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::APS::Workspace', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 1);
    const report = expectAwsConformance([stack]);
    console.info(`prometheus-operator example on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings; ` +
      `cfn-lint ${report.cfnLintErrors.length} errors; moto ${report.moto.map(m => m.status).join(', ')}`);
  });
});
