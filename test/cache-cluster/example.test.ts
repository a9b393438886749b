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
      { name: 'SESSIONS_HOST', value: 'sessions.cache-cluster.svc.cluster.local' },
      { name: 'SESSIONS_PORT', value: '6379' },
      { name: 'SESSIONS_CLUSTER_MODE', value: 'false' },
      { name: 'SESSIONS_USERNAME', value: 'cart' },
      { name: 'SESSIONS_KEY_PREFIX', value: 'cart:' },
      { name: 'SESSIONS_PASSWORD', valueFrom: { secretKeyRef: { name: 'sessions-user-cart', key: 'password' } } },
    ]));
    expect(findObject(manifests, 'Deployment', 'search').spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
      { name: 'CATALOG_CACHE_CLUSTER_MODE', value: 'true' },
      { name: 'CATALOG_CACHE_KEY_PREFIX', value: '{catalog}:' },
      { name: 'CATALOG_CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: 'catalog-cache-user-search', key: 'password' } } },
    ]));
    const users = findObject(manifests, 'StatefulSet', 'catalog-cache').spec.template.spec.containers[0].env.find((e: any) => e.name === 'REDIS_ACL_USERS').value;
    expect(users.split('\n').map((l: string) => l.split(' ').slice(0, 2).join(' '))).toEqual(['catalog on', 'search on', '']);
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
    // Connected services turn the AUTH token into an RBAC user group; the default user keeps the token.
    template.hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'catalog-cache-default',
      UserName: 'default',
      AuthenticationMode: { Type: 'password', Passwords: ['{{resolve:secretsmanager:storefront-catalog-cache-auth:SecretString:password::}}'] },
    });
    template.resourceCountIs('AWS::ElastiCache::User', 5);
    template.resourceCountIs('AWS::ElastiCache::UserGroup', 2);
    // The generated AUTH token of sessions, and one password per connected service.
    template.resourceCountIs('AWS::SecretsManager::Secret', 4);
    const report = expectAwsConformance([stack]);
    if (report.moto.length > 0) expect(report.moto[0].emulatedTypes).toContain('AWS::ElastiCache::ReplicationGroup');
    console.info(`cache-cluster example on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged with reasons); cfn-lint ${report.cfnLintErrors.length} errors, ` +
      `${report.cfnLintWarnings.length} warnings; moto ${report.moto.map(m => m.status).join(', ')}`);
  });
});
