import { Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  CacheCluster, CacheClusterAwsResources, CacheClusterKubernetesResources, CacheClusterProps, EvictionPolicy,
} from '../../src/cache-cluster';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's cache: its own defaults, a memory alarm on AWS, a toleration on Kubernetes. */
class AcmeCache extends CacheCluster {
  protected applyDefaults(props: CacheClusterProps): CacheClusterProps {
    return {
      evictionPolicy: EvictionPolicy.ALLKEYS_LFU,
      replicas: 1,
      ...props,
      aws: { nodeType: 'cache.m7g.large', ...props.aws },
      kubernetes: { memory: Size.gibibytes(2), ...props.kubernetes },
    };
  }

  protected configureAws(resources: CacheClusterAwsResources): void {
    resources.replicationGroup.tags.setTag('cost-centre', 'platform');
    new cloudwatch.Alarm(this, 'MemoryAlarm', { metric: this.metricMemoryUsage(), threshold: 80, evaluationPeriods: 3 });
  }

  protected configureKubernetes(resources: CacheClusterKubernetesResources): void {
    resources.statefulSet.metadata.addAnnotation('acme.example/owner', 'platform-team');
  }
}

describe('subclassing CacheCluster', () => {
  test('org defaults and the AWS hook apply; the caller still wins', () => {
    const stack = awsStack();
    new AcmeCache(stack, 'Sessions');
    new AcmeCache(stack, 'Carts', { replicas: 2, aws: { nodeType: 'cache.r7g.xlarge' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupId: 'sessions', CacheNodeType: 'cache.m7g.large', NumCacheClusters: 2, Tags: [{ Key: 'cost-centre', Value: 'platform' }],
    });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ReplicationGroupId: 'carts', CacheNodeType: 'cache.r7g.xlarge', NumCacheClusters: 3 });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'allkeys-lfu', 'cluster-enabled': 'no' } });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseMemoryUsagePercentage', Namespace: 'AWS/ElastiCache', Threshold: 80, Dimensions: [{ Name: 'CacheClusterId', Value: 'sessions-001' }],
    });
  });

  test('org defaults and the Kubernetes hook apply on Kubernetes', () => {
    const chart = kubernetesChart();
    new AcmeCache(chart, 'Sessions');
    const manifests = manifestsOf(chart);
    const set = findObject(manifests, 'StatefulSet', 'sessions');
    expect(set.metadata.annotations).toEqual({ 'acme.example/owner': 'platform-team' });
    expect(set.spec.replicas).toBe(2);
    expect(set.spec.template.spec.containers[0].resources.limits).toEqual({ memory: '2048Mi' });
    expect(findObject(manifests, 'ConfigMap', 'sessions-config').data['redis.conf']).toContain('maxmemory-policy allkeys-lfu');
  });

  test('validation still applies to what the defaults produce', () => {
    class Broken extends CacheCluster {
      protected applyDefaults(props: CacheClusterProps): CacheClusterProps {
        return { ...props, replicas: 0 };
      }
    }
    expect(() => new Broken(kubernetesChart(), 'Sessions')).toThrow(/Sessions: replicas must be at least 1 with automaticFailover/);
  });
});
