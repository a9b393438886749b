import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { kubeObject } from '../../src/platform/kube-object';
import { findObject, kubernetesChart } from '../util';

describe('kubeObject', () => {
  test('builds an object of the generated class, which instanceof cannot tell from any ApiObject', () => {
    const chart = kubernetesChart();
    const service = kubeObject(k8s.KubeService, chart, 'Service', { metadata: { name: 'orders' }, spec: { ports: [{ port: 80 }] } });
    const plain = new ApiObject(chart, 'Plain', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain' } });
    expect(Object.getPrototypeOf(service)).toBe(k8s.KubeService.prototype);
    // cdk8s answers `instanceof` for ApiObject and every generated subclass alike: tests compare prototypes.
    expect(plain instanceof k8s.KubeDeployment).toBe(true);
    expect(Object.getPrototypeOf(plain)).not.toBe(k8s.KubeService.prototype);
    expect([service.apiVersion, service.kind]).toEqual([k8s.KubeService.GVK.apiVersion, k8s.KubeService.GVK.kind]);
  });

  test('renders the manifest as written: apiVersion and kind from the class, keys sorted, tokens resolved, IntOrString values as given', () => {
    const chart = kubernetesChart();
    kubeObject(k8s.KubeDeployment, chart, 'Deployment', {
      metadata: { name: 'orders' },
      spec: {
        template: { spec: { containers: [{ name: 'app', image: 'orders:1' }] } },
        strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' }, type: 'RollingUpdate' },
        replicas: Lazy.any({ produce: () => 3 }),
      },
    });
    const [json] = chart.toJson();
    expect(JSON.stringify(json)).toBe(JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'orders', namespace: 'shop' },
      spec: {
        replicas: 3,
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 }, type: 'RollingUpdate' },
        template: { spec: { containers: [{ image: 'orders:1', name: 'app' }] } },
      },
    }));
  });

  test("a user's patch of a field newer than the generated classes' Kubernetes 1.27 schema stays in the manifest", () => {
    const chart = kubernetesChart();
    const service = kubeObject(k8s.KubeService, chart, 'Service', { metadata: { name: 'orders' }, spec: { ports: [{ port: 80 }] } });
    // Service.spec.trafficDistribution: Kubernetes 1.31 and later, unknown to the 1.27 classes' own conversion.
    service.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferClose'));
    expect(findObject(chart.toJson(), 'Service', 'orders').spec).toEqual({ ports: [{ port: 80 }], trafficDistribution: 'PreferClose' });
  });
});
