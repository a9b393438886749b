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

describe('mongosh scripts: collection names are data', () => {
  test('property: any accepted collection name is sharded exactly as given, and nothing else runs', () => {
    let accepted = 0;
    fc.assert(fc.property(hostileString, name => {
      const namespace = `shop.${name}`;
      const spec = resolveMongoShardedClusterSpec('orders-db', { shardedCollections: [namespace, 'shop.orders'] });
      if (validateMongoShardedCluster(kubernetesChart(), spec, PlatformTarget.KUBERNETES).length > 0) return;
      accepted++;
      const calls = shardCollectionCalls(documentDbShardingScript('orders-db', spec.collections));
      expect(calls.map(c => c[0])).toEqual([namespace, 'shop.orders']);
    }), PROPERTY_RUNS);
    expect(accepted).toBeGreaterThan(PROPERTY_RUNS.numRuns / 2);
  }, ENGINE_TIMEOUT_MS);

  test('a collection name that closes the string and the statement stays a name', () => {
    const namespace = 'shop.x"]; sh.shardCollection("evil.x", {}); //\u2028y';
    const spec = resolveMongoShardedClusterSpec('orders-db', { shardedCollections: [namespace] });
    expect(shardCollectionCalls(documentDbShardingScript('orders-db\nsh.shardCollection("evil.y")', spec.collections)).map(c => c[0]))
      .toEqual([namespace]);
  });
});
