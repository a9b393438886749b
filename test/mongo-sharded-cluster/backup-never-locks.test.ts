/**
 * Regression: the nightly backup used to stop the balancer and hold fsyncLock through mongos for the
 * whole dump, so every write blocked, and a backup pod killed outright left the cluster locked and the
 * balancer off. No generated script may lock writes or stop the balancer now.
 */
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { findObject, kubernetesChart, manifestsOf } from '../util';

test('no generated script locks writes or stops the balancer', () => {
  const chart = kubernetesChart();
  new MongoShardedCluster(chart, 'OrdersDb');
  const scripts: Record<string, string> = findObject(manifestsOf(chart), 'ConfigMap', 'orders-db-scripts').data;
  const locking = Object.entries(scripts).filter(([, text]) => /\.fsyncLock\(|\.stopBalancer\(|setBalancerState\(false/.test(text)).map(([file]) => file);
  expect(locking).toEqual([]);
  expect(Object.keys(scripts)).toContain('backup.sh');
});
