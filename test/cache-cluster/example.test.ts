import { Template } from 'aws-cdk-lib/assertions';
import { defineCacheCluster } from '../../examples/cache-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('cache-cluster example', () => {
  test('Kubernetes: the services reach their caches by endpoint and Secret, and only they may', () => {
    const chart = kubernetesChart('cache-cluster', 'cache-cluster');
    defineCacheCluster(chart);
    const manifests = manifestsOf(chart);
    const cart = findObject(manifests, 'Deployment', 'cart').spec.template.spec.containers[0].env;
    expect(cart).toEqual(expect.arrayContaining([
      { name: 'REDIS_HOST', value: 'sessions.cache-cluster.svc.cluster.local' },
      { name: 'REDIS_PORT', value: '6379' },
      { name: 'REDIS_CLUSTER_MODE', value: 'false' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'sessions-auth', key: 'password' } } },
    ]));
    expect(findObject(manifests, 'Deployment', 'catalog').spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'REDIS_CLUSTER_MODE', value: 'true' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'storefront-catalog-cache-auth', key: 'password' } } },
    ]));
    expect(objectsOfKind(manifests, 'Job').map(j => j.metadata.name)).toEqual([expect.stringMatching(/^catalog-cache-setup-[0-9a-f]{8}$/)]);
    expect(findObject(manifests, 'NetworkPolicy', 'sessions-proxy').spec.ingress).toHaveLength(1);
    // Snapshots: sessions daily to its retained volume, catalog-cache every 6 hours to S3.
    expect(objectsOfKind(manifests, 'CronJob').map(c => [c.metadata.name, c.spec.schedule])).toEqual([['sessions-backup', '0 3 * * *'], ['catalog-cache-backup', '0 */6 * * *']]);
    expect(findObject(manifests, 'CronJob', 'catalog-cache-backup').spec.jobTemplate.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['snapshot', 'upload']);
    const report = expectKubernetesConformance(manifests);
    console.info(`cache-cluster example on Kubernetes: ${report.objects} objects; findings: schema ${report.byValidator.schema}, ` +
      `pod security ${report.byValidator.podSecurity}, reliability ${report.byValidator.reliability}`);
  });

  test('AWS: cdk-nag, cfn-lint and moto (ElastiCache is a moto stand-in)', () => {
    const stack = awsStack('CacheCluster');
    defineCacheCluster(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 2);
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupId: 'catalog-cache', AuthToken: '{{resolve:secretsmanager:storefront-catalog-cache-auth:SecretString:password::}}',
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const report = expectAwsConformance([stack]);
    if (report.moto.length > 0) expect(report.moto[0].emulatedTypes).toContain('AWS::ElastiCache::ReplicationGroup');
    console.info(`cache-cluster example on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged with reasons); cfn-lint ${report.cfnLintErrors.length} errors, ` +
      `${report.cfnLintWarnings.length} warnings; moto ${report.moto.map(m => m.status).join(', ')}`);
  });
});
