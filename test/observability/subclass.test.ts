import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { ONCALL } from './fakes';
import {
  AlertReceiver, ObservabilityAwsResources, ObservabilityKubernetesResources, ObservabilityStack, ObservabilityStackProps,
} from '../../src/observability';
import { ServiceCluster } from '../../src/service-cluster';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's stack: its own SLO and on-call webhook by default, plus its own tagging. */
class AcmeObservability extends ObservabilityStack {
  protected applyDefaults(props: ObservabilityStackProps): ObservabilityStackProps {
    return {
      slo: { availability: 0.995 },
      receivers: [AlertReceiver.webhook('https://oncall.acme.example/hooks/alertmanager', { snsEnvelopeOnAws: true })],
      ...props,
    };
  }

  protected configureAws(resources: ObservabilityAwsResources): void {
    resources.alertTopic.node.addMetadata('acme:owner', 'sre');
  }

  protected configureKubernetes(resources: ObservabilityKubernetesResources): void {
    resources.prometheus!.statefulSet.metadata.addAnnotation('acme.example/owner', 'sre');
  }
}

describe('subclassing ObservabilityStack', () => {
  test('org defaults and the Kubernetes hook apply on Kubernetes', () => {
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new AcmeObservability(chart, 'Observability');
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'StatefulSet', 'prometheus').metadata.annotations).toEqual({ 'acme.example/owner': 'sre' });
    const alertmanager = parse(findObject(manifests, 'ConfigMap', 'alertmanager').data['alertmanager.yml']);
    expect(alertmanager.receivers[0].webhook_configs).toEqual([{ url: 'https://oncall.acme.example/hooks/alertmanager', send_resolved: true }]);
    const rules = parse(findObject(manifests, 'ConfigMap', 'prometheus-rules').data['platform.yml']);
    const fast = rules.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'SloErrorBudgetBurnFast');
    // 14.4 × the 0.5 % budget of a 99.5 % objective.
    expect(fast.expr).toContain('job:slo_request_errors:ratio_rate1h > 0.072');
  });

  test('org defaults and the AWS hook apply on AWS, and the caller still wins', () => {
    const stack = awsStack();
    const observability = new AcmeObservability(stack, 'Observability', { slo: { availability: 0.999 } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://oncall.acme.example/hooks/alertmanager' });
    expect(observability.renderAlertRules()).toBe(new ObservabilityStack(awsStack('Other'), 'Observability', { receivers: ONCALL }).renderAlertRules());
    expect(observability.aws!.alertTopic.node.metadata.some(m => m.type === 'acme:owner')).toBe(true);
  });

  test('validation still applies to what the defaults produce', () => {
    class Broken extends ObservabilityStack {
      protected applyDefaults(props: ObservabilityStackProps): ObservabilityStackProps {
        return { ...props, retention: '2 weeks' };
      }
    }
    expect(() => new Broken(kubernetesChart(), 'Observability')).toThrow(/Observability: retention is not a Prometheus duration \(got "2 weeks"\)/);
  });
});
