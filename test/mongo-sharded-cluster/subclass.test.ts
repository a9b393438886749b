import { Duration, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JsonPatch } from 'cdk8s';
import {
  MongoShardedCluster, MongoShardedClusterAwsResources, MongoShardedClusterKubernetesResources, MongoShardedClusterProps,
} from '../../src/mongo-sharded-cluster';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's database: longer backups, five members, a cost tag, dedicated database nodes. */
class AcmeMongo extends MongoShardedCluster {
  protected applyDefaults(props: MongoShardedClusterProps): MongoShardedClusterProps {
    return { membersPerShard: 5, ...props, backup: { retention: Duration.days(30), ...props.backup } };
  }

  protected configureAws(resources: MongoShardedClusterAwsResources): void {
    Tags.of(resources.cluster).add('cost-centre', 'data-platform');
  }

  protected configureKubernetes(resources: MongoShardedClusterKubernetesResources): void {
    for (const replicaSet of [resources.configServers, ...resources.shards]) {
      replicaSet.statefulSet.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { 'acme.example/pool': 'database' }));
    }
  }
}

describe('subclassing MongoShardedCluster', () => {
  test('org defaults and the AWS hook apply; the caller still wins', () => {
    const stack = awsStack();
    new AcmeMongo(stack, 'Orders');
    new AcmeMongo(stack, 'Carts', { membersPerShard: 3, backup: { retention: Duration.days(14) } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', { ClusterName: 'orders', ShardInstanceCount: 5, BackupRetentionPeriod: 30, Tags: [{ Key: 'cost-centre', Value: 'data-platform' }] });
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', { ClusterName: 'carts', ShardInstanceCount: 3, BackupRetentionPeriod: 14 });
  });

  test('org defaults and the Kubernetes hook apply', () => {
    const chart = kubernetesChart();
    new AcmeMongo(chart, 'Orders');
    const manifests = manifestsOf(chart);
    const shard = findObject(manifests, 'StatefulSet', 'orders-shard-0');
    expect(shard.spec.replicas).toBe(5);
    expect(shard.spec.template.spec.nodeSelector).toEqual({ 'acme.example/pool': 'database' });
    expect(findObject(manifests, 'StatefulSet', 'orders-configsvr').spec.template.spec.nodeSelector).toEqual({ 'acme.example/pool': 'database' });
    expect(findObject(manifests, 'ConfigMap', 'orders-scripts').data['backup.sh']).toContain('pbm cleanup --older-than=30d');
  });

  test('validation still applies to what the defaults produce', () => {
    class Broken extends MongoShardedCluster {
      protected applyDefaults(props: MongoShardedClusterProps): MongoShardedClusterProps {
        return { ...props, membersPerShard: 4 };
      }
    }
    expect(() => new Broken(kubernetesChart(), 'Orders')).toThrow(/Orders: membersPerShard must be odd \(got 4\)/);
  });
});
