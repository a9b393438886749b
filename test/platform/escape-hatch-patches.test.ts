import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { CredentialProvisioning } from '../../src/platform/credentials';
import { typedKubeObject } from '../../src/platform/kube-object';
import { KubernetesPlatform } from '../../src/platform/kubernetes-platform';
import { smallGateway } from '../gateway/fixtures';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

/*
 * Escape hatches reach fields newer than the Kubernetes 1.27 classes the constructs are typed with:
 * the generated classes convert their JSON field by field from that schema, after the object's
 * JSON patches, so a patch of a newer field vanished from the manifest without a word.
 * Service.spec.trafficDistribution is Kubernetes 1.31+, Job.spec.managedBy 1.30+.
 */
const TRAFFIC = JsonPatch.add('/spec/trafficDistribution', 'PreferClose');

describe("a user's JSON patch of a field newer than Kubernetes 1.27 reaches the manifest", () => {
  test('the generated classes alone drop it: the reason typedKubeObject exists', () => {
    const chart = kubernetesChart();
    new k8s.KubeService(chart, 'Plain', { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } }).addJsonPatch(TRAFFIC);
    typedKubeObject(k8s.KubeService, chart, 'Typed', { metadata: { name: 'typed' }, spec: { ports: [{ port: 80 }] } }).addJsonPatch(TRAFFIC);
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Service', 'plain').spec.trafficDistribution).toBeUndefined();
    expect(findObject(manifests, 'Service', 'typed').spec).toEqual({ ports: [{ port: 80 }], trafficDistribution: 'PreferClose' });
  });

  test('Gateway', () => {
    const chart = kubernetesChart();
    const { gateway } = smallGateway(chart);
    gateway.kubernetes!.service.addJsonPatch(TRAFFIC);
    expect(findObject(manifestsOf(chart), 'Service', gateway.kubernetes!.service.name).spec.trafficDistribution).toBe('PreferClose');
  });

  test('MongoShardedCluster, including its init Job, whose hashed name follows the patched template', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb', {});
    const resources = cluster.kubernetes!;
    const nameBefore = objectsOfKind(manifestsOf(chart), 'Job')[0].metadata.name;
    resources.routerService.addJsonPatch(TRAFFIC);
    resources.initJob.addJsonPatch(JsonPatch.add('/spec/managedBy', 'kueue.x-k8s.io/multikueue'));
    resources.initJob.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', { 'team.example.com/owner': 'data' }));
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Service', resources.routerService.name).spec.trafficDistribution).toBe('PreferClose');
    const [job] = objectsOfKind(manifests, 'Job');
    expect(job.spec.managedBy).toBe('kueue.x-k8s.io/multikueue');
    // A Job's template is immutable: a patched template needs (and gets) a new name.
    expect(job.metadata.name).not.toBe(nameBefore);
  });

  test('ObservabilityStack', () => {
    const chart = kubernetesChart();
    const stack = new ObservabilityStack(chart, 'Observability', { receivers: [AlertReceiver.webhook('https://oncall.example.com/hooks/platform')] });
    stack.kubernetes!.collector.service.addJsonPatch(TRAFFIC);
    expect(findObject(manifestsOf(chart), 'Service', stack.kubernetes!.collector.service.name).spec.trafficDistribution).toBe('PreferClose');
  });

  test("the credential generator's Job", () => {
    const chart = kubernetesChart();
    const platform = new KubernetesPlatform(chart, 'Platform', { credentials: CredentialProvisioning.generatorJob({ apiServerCidrs: ['10.0.0.1/32'] }) });
    new MongoShardedCluster(chart, 'OrdersDb', {});
    const job = platform.provisionedCredentials.generatorJob!.job;
    job.addJsonPatch(JsonPatch.add('/spec/managedBy', 'kueue.x-k8s.io/multikueue'));
    expect(findObject(manifestsOf(chart), 'Job', job.name).spec.managedBy).toBe('kueue.x-k8s.io/multikueue');
  });
});
