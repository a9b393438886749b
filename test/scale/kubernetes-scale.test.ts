import { App, Chart } from 'cdk8s';
import { ObservabilityStack, ServiceCluster } from '../../src';
import { checkObjectSize, expectKubernetesConformance } from '../conformance/kubernetes';
import { ONCALL } from '../observability/fakes';
import { manifestsOf } from '../util';

/*
 * Synthesis speed is not asserted here: a loaded machine would fail the suite for a reason that has
 * nothing to do with correctness. `npm run bench -- --check` holds the speed budgets, as ratios
 * against the peer measured in the same run.
 */
const SERVICE_KINDS = ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount'];

describe('a 1,000-service platform on Kubernetes', () => {
  test('every object stays within 1 MiB with an observability stack watching all 1,000, and the chart conforms', () => {
    const chart = new Chart(new App(), 'platform', { namespace: 'platform' });
    for (let i = 0; i < 1000; i++) new ServiceCluster(chart, `Service${i}`, { image: 'ghcr.io/acme/service:1.0.0' });
    new ObservabilityStack(chart, 'Observability', { receivers: ONCALL });
    const manifests = manifestsOf(chart);
    // Six objects per service, one of each kind, named after it.
    for (const kind of SERVICE_KINDS) {
      expect(manifests.filter(o => o.kind === kind && /^service\d+$/.test(o.metadata.name)).length).toBe(1000);
    }
    const largest = Math.max(...manifests.map(o => Buffer.byteLength(JSON.stringify(o))));
    console.info(`1,000 services + observability: ${manifests.length} objects, largest ${(largest / 1024).toFixed(1)} KiB`);
    expect(manifests.flatMap(checkObjectSize)).toEqual([]);
    expectKubernetesConformance(manifests);
  });
});
