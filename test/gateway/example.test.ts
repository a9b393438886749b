import { parse } from 'yaml';
import { expectGatewayAwsConformance } from './fixtures';
import { redirectProblems } from './traefik-redirects';
import { referenceProblems, schemaProblems } from './traefik-schema';
import { CERTIFICATE_CONTEXT, defineGateway } from '../../examples/gateway';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { findObject, kubernetesChart, manifestsOf } from '../util';

describe('gateway example', () => {
  test('Kubernetes conformance: strict schema (the cert-manager Certificate against its CRD), Pod Security restricted, reliability', () => {
    const chart = kubernetesChart('gateway', 'gateway');
    defineGateway(chart);
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Certificate', 'api')).toBeDefined();
    const report = expectKubernetesConformance(manifests);
    console.info(`gateway example on Kubernetes: ${report.objects} objects; findings: schema ${report.byValidator.schema}, ` +
      `pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}`);
    const config = parse(findObject(manifests, 'ConfigMap', 'api-dynamic').data['dynamic.yaml']);
    expect(schemaProblems(config)).toEqual([]);
    expect(referenceProblems(config, ['web', 'websecure'])).toEqual([]);
    expect(Object.keys(config.http.routers)).toContain('health');
    const staticConfig = parse(findObject(manifests, 'ConfigMap', 'api-static').data['traefik.yaml']);
    const traefik = findObject(manifests, 'Deployment', 'api').spec.template.spec.containers.find((c: any) => c.name === 'traefik');
    expect(redirectProblems(staticConfig, findObject(manifests, 'Service', 'api'), traefik.ports)).toEqual([]);
  });

  test('AWS conformance: cdk-nag, cfn-lint and moto', () => {
    const { report, motoReport } = expectGatewayAwsConformance((stack, certificateArn) => {
      stack.node.setContext(CERTIFICATE_CONTEXT, certificateArn);
      defineGateway(stack);
    }, 'Gateway');
    console.info(`gateway example on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged with reasons); cfn-lint ${report.cfnLintErrors.length} errors, ${report.cfnLintWarnings.length} warnings ` +
      `(${report.cfnLintWarnings.map(w => w.ruleId).join(', ') || 'none'}); moto ${report.moto.map(m => `${m.status}: ${m.statusReason}`).join(', ')}; ` +
      `moto with an IAM certificate: ${motoReport.moto.map(m => `${m.status}, ${m.resourcesCreated}/${m.resourcesInTemplate} created, skipped types ${m.unsupportedTypes.join(', ')}`).join('; ')}`);
    expect(report.resources).toBeGreaterThan(100);
  });

  test('every policy is exercised', () => {
    const chart = kubernetesChart('gateway', 'gateway');
    const gateway = defineGateway(chart);
    const middlewares = Object.values<any>(gateway.traefikDynamicConfig().http.middlewares).flatMap(m => Object.keys(m));
    expect(new Set(middlewares)).toEqual(new Set(['headers', 'rateLimit', 'forwardAuth', 'buffering', 'compress', 'circuitBreaker', 'retry', 'stripPrefix', 'ipAllowList']));
    const services = gateway.traefikDynamicConfig().http.services;
    expect(services['users-v2'].weighted.services.map((s: any) => s.weight)).toEqual([90, 10]);
    expect(services.payments.loadBalancer.passHostHeader).toBe(false);
  });
});
