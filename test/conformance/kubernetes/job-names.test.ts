import fc from 'fast-check';
import { CacheCluster, CacheClusterMode } from '../../../src/cache-cluster';
import { MongoShardedCluster } from '../../../src/mongo-sharded-cluster';
import { PlatformSecret } from '../../../src/platform/secret';
import { kubernetesChart, manifestsOf, objectsOfKind } from '../../util';

/**
 * A Job's pod template is immutable: when a prop change changes what a Job runs (its pod template
 * or the scripts it mounts), the Job must get a new name, or `kubectl apply` fails while the old
 * Job exists. And the same props must give the same name (no needless re-runs).
 */
interface Rendered { readonly name: string; readonly runs: string }

function jobOf(manifests: any[], scripts: (manifests: any[]) => unknown): Rendered {
  const [job] = objectsOfKind(manifests, 'Job');
  return { name: job.metadata.name, runs: JSON.stringify([job.spec.template, scripts(manifests)]) };
}

const mongoJob = (p: { version: string; secret: string; shards: number; members: number; tls: boolean }): Rendered => {
  const chart = kubernetesChart();
  new MongoShardedCluster(chart, 'OrdersDb', {
    version: p.version, adminPassword: PlatformSecret.named(p.secret, 'password'), shards: p.shards, membersPerShard: p.members, tls: p.tls,
  });
  return jobOf(manifestsOf(chart), m => objectsOfKind(m, 'ConfigMap').find((c: any) => c.metadata.name === 'orders-db-scripts')?.data);
};

const cacheJob = (p: { image: string; secret: string; shards: number; replicas: number }): Rendered => {
  const chart = kubernetesChart();
  new CacheCluster(chart, 'Sessions', {
    mode: CacheClusterMode.CLUSTER,
    shards: p.shards,
    replicas: p.replicas,
    auth: PlatformSecret.named(p.secret, 'password'),
    kubernetes: { image: p.image },
  });
  return jobOf(manifestsOf(chart), m => objectsOfKind(m, 'ConfigMap').find((c: any) => c.metadata.name.endsWith('-config'))?.data?.['cluster-setup.sh']);
};

/** Same template and scripts ⇔ same name. */
function namesFollowTemplates<P>(arbitrary: fc.Arbitrary<P>, render: (p: P) => Rendered): void {
  fc.assert(fc.property(arbitrary, arbitrary, (a, b) => {
    const [x, y] = [render(a), render(b)];
    expect(x.name === y.name).toBe(x.runs === y.runs);
  }), { numRuns: 25 });
}

describe('Job names follow everything a Job runs', () => {
  test('MongoShardedCluster init Job: image version, Secret name, topology, TLS', () => {
    namesFollowTemplates(fc.record({
      version: fc.constantFrom('7.0.14', '8.0.3'),
      secret: fc.constantFrom('mongo-admin', 'vault-mongo'),
      shards: fc.constantFrom(2, 3),
      members: fc.constantFrom(3, 5),
      tls: fc.boolean(),
    }), mongoJob);
  });

  test('CacheCluster setup Job: image, Secret name, topology', () => {
    namesFollowTemplates(fc.record({
      image: fc.constantFrom('redis:7.4.2', 'redis:7.4.3'),
      secret: fc.constantFrom('sessions-auth', 'vault-redis'),
      shards: fc.constantFrom(3, 4),
      replicas: fc.constantFrom(1, 2),
    }), cacheJob);
  });

  test('a new image or Secret name renames the Job (these failed to apply before)', () => {
    const base = { version: '7.0.14', secret: 'mongo-admin', shards: 2, members: 3, tls: true };
    expect(mongoJob({ ...base, version: '8.0.3' }).name).not.toBe(mongoJob(base).name);
    expect(mongoJob({ ...base, secret: 'vault-mongo' }).name).not.toBe(mongoJob(base).name);
    expect(cacheJob({ image: 'redis:7.4.3', secret: 'sessions-auth', shards: 3, replicas: 1 }).name)
      .not.toBe(cacheJob({ image: 'redis:7.4.2', secret: 'sessions-auth', shards: 3, replicas: 1 }).name);
  });
});
