import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MongoClientCredentials, MongoShardedCluster, MongoShardKey } from '../../src/mongo-sharded-cluster';
import { ServiceCluster } from '../../src/service-cluster';

/**
 * The seeds' MongoDB cluster: three shards of three members, config servers, two routers, daily
 * backups kept two weeks, and the `orders` collection sharded on a hashed customer id. The orders
 * service is wired to it: admitted through the firewall, given the connection string and the
 * credentials from the secret. Under a Stack this is a DocumentDB Elastic cluster; under a Chart,
 * StatefulSets with a backup agent beside every mongod, a mongos Deployment, an init Job and a
 * backup CronJob.
 */
export function defineMongoShardedCluster(scope: Construct): void {
  const database = new MongoShardedCluster(scope, 'OrdersDb', {
    clusterName: 'orders-db',
    shards: 3,
    membersPerShard: 3,
    backup: { schedule: '30 2 * * *', retention: Duration.days(14) },
    shardedCollections: ['shop.orders'],
    shardKeys: { 'shop.orders': MongoShardKey.hashed('customerId') },
  });

  const orders = new ServiceCluster(scope, 'Orders', {
    image: 'ghcr.io/acme/orders:2.3.0',
    environment: { LOG_LEVEL: 'info' },
  });
  // Its own user with readWrite on `shop` on Kubernetes; DocumentDB Elastic has only the administrator.
  database.connect(orders, { database: 'shop', credentials: MongoClientCredentials.perServiceUserOrAdministrator() });
}
