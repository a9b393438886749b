import { Match, Template } from 'aws-cdk-lib/assertions';
import { CacheAccess, CacheCluster, CacheClusterMode } from '../../src/cache-cluster';
import { elastiCacheUserId } from '../../src/cache-cluster/aws-users';
import { QueueWorker, MessageQueue } from '../../src/message-queue';
import { KubernetesPlatform } from '../../src/platform/kubernetes-platform';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const redisEnv = (manifests: any[], name: string) =>
  envOf(findObject(manifests, 'StatefulSet', name).spec.template.spec.containers.find((c: any) => c.name === 'redis'));
const serviceEnv = (manifests: any[], name: string) => envOf(findObject(manifests, 'Deployment', name).spec.template.spec.containers[0]);

describe('CacheCluster.connect on Kubernetes', () => {
  test('the service gets its own ACL user on every node, its password only by Secret reference', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'OrdersCache');
    const orders = new ServiceCluster(chart, 'Orders', { image: IMAGE });
    const reports = new ServiceCluster(chart, 'Reports', { image: IMAGE });
    cache.connect(orders);
    cache.connect(reports, { keyPrefix: 'orders:', access: CacheAccess.READ_ONLY });
    const manifests = manifestsOf(chart);

    expect(serviceEnv(manifests, 'orders')).toMatchObject({
      ORDERS_CACHE_HOST: 'orders-cache.shop.svc.cluster.local',
      ORDERS_CACHE_PORT: '6379',
      ORDERS_CACHE_TLS: 'true',
      ORDERS_CACHE_TLS_CA_FILE: '/etc/cache-tls/orders-cache/ca.crt',
      ORDERS_CACHE_CLUSTER_MODE: 'false',
      ORDERS_CACHE_USERNAME: 'orders',
      ORDERS_CACHE_KEY_PREFIX: 'orders:',
      ORDERS_CACHE_PASSWORD: { secretKeyRef: { name: 'orders-cache-user-orders', key: 'password' } },
    });
    expect(serviceEnv(manifests, 'reports')).toMatchObject({ ORDERS_CACHE_USERNAME: 'reports', ORDERS_CACHE_KEY_PREFIX: 'orders:' });

    const env = redisEnv(manifests, 'orders-cache');
    expect(env.REDIS_ACL_USERS).toBe(
      'orders on ~orders:* resetchannels -@all +@connection +select +@read +@write +@transaction +eval +evalsha +eval_ro +evalsha_ro ' +
      '+script|load +script|exists -function -@dangerous -keys -scan -randomkey -dbsize\n' +
      'reports on ~orders:* resetchannels -@all +@connection +select +@read -@dangerous -keys -scan -randomkey -dbsize\n');
    expect(env.REDIS_ACL_PASSWORD_ORDERS).toEqual({ secretKeyRef: { name: 'orders-cache-user-orders', key: 'password' } });
    expect(env.REDIS_ACL_PASSWORD_REPORTS).toEqual({ secretKeyRef: { name: 'orders-cache-user-reports', key: 'password' } });
    // No password, no user rule in the ConfigMap: the start script renders the ACL file from the environment.
    const config = findObject(manifests, 'ConfigMap', 'orders-cache-config').data;
    expect(config['start-redis.sh']).toContain('aclfile $RUN_DIR/users.acl');
    expect(JSON.stringify(config)).not.toContain('~orders:*');
    // The provisioner generates each user's password.
    expect(KubernetesPlatform.of(chart).ownedCredentials.filter(c => c.secretName.startsWith('orders-cache-user-')).map(c => [c.secretName, c.key, c.format.formatName]))
      .toEqual([['orders-cache-user-orders', 'password', 'password'], ['orders-cache-user-reports', 'password', 'password']]);
    // Admitted to the data ports.
    expect(findObject(manifests, 'NetworkPolicy', 'orders-cache-proxy').spec.ingress).toHaveLength(2);
    expectKubernetesConformance(manifests);
  });

  test('cluster mode: the users may discover the slot map; a queue worker connects like a service', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'Catalog', { mode: CacheClusterMode.CLUSTER });
    const queue = new MessageQueue(chart, 'Jobs');
    const worker = new QueueWorker(chart, 'Indexer', { image: IMAGE, queue, healthCheckCommand: ['/app/indexer', 'healthcheck'] });
    cache.connect(worker, { keyPrefix: '{catalog}:' });
    const manifests = manifestsOf(chart);
    expect(redisEnv(manifests, 'catalog').REDIS_ACL_USERS).toMatch(/^indexer on ~\{catalog\}:\* .*\+cluster\|slots \+cluster\|shards .* -@dangerous/);
    expect(serviceEnv(manifests, 'indexer')).toMatchObject({ CATALOG_CLUSTER_MODE: 'true', CATALOG_KEY_PREFIX: '{catalog}:' });
    // KEDA's ScaledObject is not a Kubernetes schema type.
    expectKubernetesConformance(manifests, { skipRules: ['Schema-UnknownKind'] });
  });

  test('connecting twice with the same options changes nothing', () => {
    const once = kubernetesChart();
    const a = new CacheCluster(once, 'OrdersCache');
    a.connect(new ServiceCluster(once, 'Orders', { image: IMAGE }), { access: CacheAccess.READ_WRITE });
    const twice = kubernetesChart();
    const b = new CacheCluster(twice, 'OrdersCache');
    const orders = new ServiceCluster(twice, 'Orders', { image: IMAGE });
    b.connect(orders);
    b.connect(orders, { keyPrefix: 'orders:', access: CacheAccess.READ_WRITE });
    expect(manifestsOf(twice)).toEqual(manifestsOf(once));
  });

  test('connecting again with other options, or another client under the same name, is refused', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'OrdersCache');
    const orders = new ServiceCluster(chart, 'Orders', { image: IMAGE });
    cache.connect(orders);
    expect(() => cache.connect(orders, { access: CacheAccess.READ_ONLY })).toThrow(
      'platform/OrdersCache: connect(options) differ from the first connect of orders (got "keyPrefix orders:, access read-only"): ' +
      'connect each service once, or again with the same options (keyPrefix orders:, access read-write)');
    const other = kubernetesChart('other');
    const impostor = new ServiceCluster(other, 'Orders', { image: IMAGE });
    expect(() => cache.connect(impostor)).toThrow(
      'platform/OrdersCache: connect(client) has the service name of a client connected already (got "orders"): ' +
      'platform/Orders is the cache user "orders": give each workload its own service name');
  });

  test.each([
    ['', 'is not a usable key prefix (got "")'],
    ['orders *', 'is not a usable key prefix (got "orders *")'],
    ['orders:*', 'is not a usable key prefix (got "orders:*")'],
    ['a'.repeat(101), 'is not a usable key prefix'],
  ])('keyPrefix %j is refused', (keyPrefix, message) => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'OrdersCache');
    expect(() => cache.connect(new ServiceCluster(chart, 'Orders', { image: IMAGE }), { keyPrefix })).toThrow(
      `platform/OrdersCache: connect(options.keyPrefix) ${message}`);
  });

  test('a service named "default" cannot take the platform\'s AUTH user', () => {
    const chart = kubernetesChart();
    const cache = new CacheCluster(chart, 'OrdersCache');
    expect(() => cache.connect(new ServiceCluster(chart, 'Default', { image: IMAGE }))).toThrow(
      'platform/OrdersCache: connect(client.serviceName) is not a usable cache user name (got "default"): ' +
      'a DNS label (1-63 lowercase letters, digits and "-", starting and ending alphanumeric) other than default');
  });
});

describe('CacheCluster.connect on AWS: ElastiCache RBAC', () => {
  function connected() {
    const stack = awsStack();
    const cache = new CacheCluster(stack, 'OrdersCache');
    const orders = new ServiceCluster(stack, 'Orders', { image: IMAGE });
    const reports = new ServiceCluster(stack, 'Reports', { image: IMAGE });
    cache.connect(orders);
    cache.connect(reports, { keyPrefix: 'orders:', access: CacheAccess.READ_ONLY });
    return { stack, cache, orders, reports, template: Template.fromStack(stack) };
  }

  test('a user group with a default user (the former AUTH token) replaces the AUTH token', () => {
    const { cache, template } = connected();
    const rg = template.findResources('AWS::ElastiCache::ReplicationGroup');
    const props = Object.values(rg)[0].Properties;
    expect(props.AuthToken).toBeUndefined();
    expect(props.UserGroupIds).toEqual([{ Ref: expect.stringMatching(/^OrdersCacheUserGroup/) }]);
    template.hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'orders-cache-default',
      UserName: 'default',
      Engine: 'redis',
      AccessString: 'on ~* &* +@all',
      AuthenticationMode: { Type: 'password', Passwords: [{ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('OrdersCacheAuthToken') }, ':SecretString:::}}']] }] },
    });
    template.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      UserGroupId: 'orders-cache-users',
      Engine: 'redis',
      UserIds: [{ Ref: Match.stringLikeRegexp('OrdersCacheDefaultUser') }, { Ref: Match.stringLikeRegexp('OrdersCacheUserorders') }, { Ref: Match.stringLikeRegexp('OrdersCacheUserreports') }],
    });
    // The platform's own consumers keep the AUTH secret: it is the default user's password.
    expect(cache.redisPassword).toBeDefined();
    expect(Object.keys(cache.aws!.rbac!.users)).toEqual(['orders', 'reports']);
  });

  test('one user per service, with the access string the Kubernetes ACL uses and a generated password', () => {
    const { template, orders } = connected();
    template.hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'orders-cache-reports',
      UserName: 'reports',
      AccessString: 'on ~orders:* resetchannels -@all +@connection +select +@read -@dangerous -keys -scan -randomkey -dbsize',
      AuthenticationMode: { Type: 'password', Passwords: [{ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('OrdersCacheUserreportsPassword') }, ':SecretString:::}}']] }] },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      KmsKeyId: Match.anyValue(),
    });
    // The service reads its password from Secrets Manager, never from the template.
    const task = Template.fromStack(orders.aws!.stack).findResources('AWS::ECS::TaskDefinition');
    const container = Object.values(task)[0].Properties.ContainerDefinitions[0];
    expect(container.Secrets.map((s: any) => s.Name)).toContain('ORDERS_CACHE_PASSWORD');
    const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({ ORDERS_CACHE_TLS: 'true', ORDERS_CACHE_USERNAME: 'orders', ORDERS_CACHE_KEY_PREFIX: 'orders:', ORDERS_CACHE_PORT: '6380' });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"Passwords":\["[^{]/);
  });

  test('user ids stay within ElastiCache\'s rules', () => {
    expect(elastiCacheUserId('orders-cache', 'api')).toBe('orders-cache-api');
    expect(elastiCacheUserId('1st--cache', 'api')).toBe('u-1st-cache-api');
    const long = elastiCacheUserId('a-forty-character-cache-name-xxxxxxxxxxx', 'a-long-service-name');
    expect(long).toMatch(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/);
    expect(long).not.toContain('--');
    expect(long).not.toBe(elastiCacheUserId('a-forty-character-cache-name-xxxxxxxxxxx', 'a-long-service-name-2'));
  });

  test('an external user group (aws.userGroupId) cannot take users: connect says what to do', () => {
    const stack = awsStack();
    const cache = new CacheCluster(stack, 'OrdersCache', { aws: { userGroupId: 'shared-users' } });
    expect(() => cache.connect(new ServiceCluster(stack, 'Orders', { image: IMAGE }))).toThrow(
      'Platform/OrdersCache: aws.userGroupId is an RBAC user group managed outside this construct, so connect cannot add users to it (got "shared-users"): ' +
      'remove aws.userGroupId to let connect create the user group, or add the service\'s user to your group and pass its credentials with addSecret');
  });

  test('conformance: cdk-nag, cfn-lint and moto (users and groups are stand-ins: moto has no CloudFormation model for them)', () => {
    const { stack } = connected();
    const report = expectAwsConformance([stack]);
    expect(report.moto.flatMap(m => m.emulatedTypes)).toEqual(expect.arrayContaining(['AWS::ElastiCache::User', 'AWS::ElastiCache::UserGroup']));
  });
});
