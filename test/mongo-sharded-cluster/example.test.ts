import { Template } from 'aws-cdk-lib/assertions';
import { defineMongoShardedCluster } from '../../examples/mongo-sharded-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('mongo-sharded-cluster example', () => {
  test('Kubernetes: three shards, the orders service wired to mongos, conformant', () => {
    const chart = kubernetesChart('mongo-sharded-cluster', 'mongo-sharded-cluster');
    defineMongoShardedCluster(chart);
    const manifests = manifestsOf(chart);
    expect(objectsOfKind(manifests, 'StatefulSet').map(s => s.metadata.name)).toEqual(['orders-db-configsvr', 'orders-db-shard-0', 'orders-db-shard-1', 'orders-db-shard-2']);
    expect(findObject(manifests, 'ConfigMap', 'orders-db-scripts').data['cluster.js']).toContain('"shop.orders"');
    expect(findObject(manifests, 'Deployment', 'orders').spec.template.spec.containers[0].env).toContainEqual({
      name: 'MONGODB_URI', value: 'mongodb://orders-db.mongo-sharded-cluster.svc.cluster.local:27017/shop?authSource=admin&w=majority&tls=true',
    });
    const report = expectKubernetesConformance(manifests);
    console.info(`mongo-sharded-cluster on Kubernetes: ${report.objects} objects; findings: ${JSON.stringify(report.byValidator)}`);
  });

  test('AWS: an Elastic cluster of three shards, the sharding task, the service; cdk-nag, cfn-lint and moto clean', () => {
    const stack = awsStack('MongoShardedCluster');
    defineMongoShardedCluster(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', { ShardCount: 3, ShardInstanceCount: 3, BackupRetentionPeriod: 14, PreferredBackupWindow: '02:30-03:00' });
    // The sharding task's schedule and the backup check's.
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Environment: { Variables: { CLUSTER_NAME: 'orders-db' } } });
    expectAwsConformance([stack]);
  });
});
