import * as vm from 'vm';
import * as fc from 'fast-check';
import { documentDbShardingScript } from '../../src/mongo-sharded-cluster/mongo-sharding';
import { resolveMongoShardedClusterSpec } from '../../src/mongo-sharded-cluster/spec';
import { validateMongoShardedCluster } from '../../src/mongo-sharded-cluster/validation';
import { PlatformTarget } from '../../src/platform/target';
import { ENGINE_TIMEOUT_MS, hostileString, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { kubernetesChart } from '../util';

/**
 * Runs a generated mongosh script in a fresh context with mongosh's globals stubbed (nothing is
 * sharded yet), and returns the shardCollection calls it made.
 */
function shardCollectionCalls(script: string): unknown[][] {
  const calls: unknown[][] = [];
  const collection = { countDocuments: () => 0 };
  const context = {
    require: () => ({}),
    process: { env: { MONGODB_USERNAME: 'admin', MONGODB_PASSWORD: 'p' } },
    print: () => undefined,
    sleep: () => undefined,
    db: { getSiblingDB: () => ({ auth: () => 1, getCollection: () => collection }) },
    sh: { shardCollection: (...args: unknown[]) => calls.push(args), enableSharding: () => undefined },
  };
  vm.runInNewContext(script, context, { timeout: 10_000 });
  return calls;
}

/** The spec of a cluster sharding `shop.<name>`, when validation accepts that name. */
function acceptedSpec(name: string) {
  const spec = resolveMongoShardedClusterSpec('orders-db', { shardedCollections: [`shop.${name}`, 'shop.orders'] });
  return validateMongoShardedCluster(kubernetesChart(), spec, PlatformTarget.KUBERNETES).length > 0 ? undefined : spec;
}

describe('mongosh scripts: collection names are data', () => {
  test('property: any accepted collection name is sharded exactly as given, and nothing else runs', () => {
    let accepted = 0;
    fc.assert(fc.property(hostileString, name => {
      const spec = acceptedSpec(name);
      if (!spec) return;
      accepted++;
      const calls = shardCollectionCalls(documentDbShardingScript('orders-db', spec.collections));
      expect(calls.map(c => c[0])).toEqual([`shop.${name}`, 'shop.orders']);
      // An accepted name that closes the string runs whatever the seed.
    }), { ...PROPERTY_RUNS, examples: [['x"]; db.dropDatabase(); //']] });
    expect(accepted).toBeGreaterThan(0);
  }, ENGINE_TIMEOUT_MS);

  test('the generator exercises the property: most hostile names are accepted (a fixed sample, the same on every run)', () => {
    const names = fc.sample(hostileString, { numRuns: PROPERTY_RUNS.numRuns, seed: 20261203 });
    expect(names.filter(name => acceptedSpec(name) !== undefined).length).toBeGreaterThan(PROPERTY_RUNS.numRuns / 2);
  }, ENGINE_TIMEOUT_MS);

  test('a collection name that closes the string and the statement stays a name', () => {
    const namespace = 'shop.x"]; sh.shardCollection("evil.x", {}); //\u2028y';
    const spec = resolveMongoShardedClusterSpec('orders-db', { shardedCollections: [namespace] });
    expect(shardCollectionCalls(documentDbShardingScript('orders-db\nsh.shardCollection("evil.y")', spec.collections)).map(c => c[0]))
      .toEqual([namespace]);
  });
});
