import { CacheCluster, CredentialFormat, KubernetesPlatform, MongoShardedCluster, PlatformSecret } from '../../src';
import { kubernetesReferencePlatform } from '../reference-platform/fixtures';
import { kubernetesChart, manifestsOf } from '../util';

/** Every `<secret>/<key>` (or `<secret>/*` for a whole-Secret volume) the manifests read. */
function secretReads(manifests: readonly any[]): Set<string> {
  const reads = new Set<string>();
  const walk = (node: any): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    if (node.secretKeyRef) reads.add(`${node.secretKeyRef.name}/${node.secretKeyRef.key}`);
    if (node.secret?.secretName) {
      const items: any[] | undefined = node.secret.items;
      if (items) items.forEach(item => reads.add(`${node.secret.secretName}/${item.key}`));
      else reads.add(`${node.secret.secretName}/*`);
    }
    Object.values(node).forEach(walk);
  };
  manifests.forEach(walk);
  return reads;
}

describe('owned credentials', () => {
  const { chart, manifests } = kubernetesReferencePlatform();
  const owned = KubernetesPlatform.of(chart).ownedCredentials;
  const ownedIds = owned.map(c => `${c.secretName}/${c.key}`);
  const reads = secretReads(manifests);

  test('the reference platform declares the credentials its constructs own, each with its format', () => {
    expect(owned.map(c => `${c.secretName}/${c.key}: ${c.format.formatName}`)).toEqual([
      'grafana-admin/password: password',
      'order-events-erlang-cookie/cookie: erlang-cookie',
      'order-events-user-fulfilment/password: password',
      'order-events-user-orders/password: password',
      'shop-cache-auth/password: password',
      'shop-db-admin/monitor-password: password',
      'shop-db-admin/password: password',
      'shop-db-keyfile/keyfile: mongo-keyfile',
      'shop-db-pbm/password: password',
      'shop-db-user-orders/password: password',
      'shop-db-user-products/password: password',
      'shop-db-user-users/password: password',
    ]);
  });

  test('every owned credential is read by the manifests, and every other Secret read is a certificate or a user-supplied one', () => {
    for (const id of ownedIds) expect(reads).toContain(id);
    const others = [...reads].filter(id => !ownedIds.includes(id)).sort();
    // Certificates come from cert-manager or the user; the Slack webhook is the user's own secret.
    expect(others).toEqual([
      'alerting-slack/*', 'api-tls/*', 'order-events-tls/*', 'shop-cache-tls/ca.crt', 'shop-cache-tls/tls.crt', 'shop-cache-tls/tls.key',
      'shop-db-tls/ca.crt', 'shop-db-tls/tls.crt', 'shop-db-tls/tls.key',
    ]);
  });

  test('a credential the user supplies is theirs: not declared', () => {
    const userChart = kubernetesChart();
    new CacheCluster(userChart, 'Cache', { auth: PlatformSecret.named('my-cache', 'token'), kubernetes: {} as any });
    new MongoShardedCluster(userChart, 'Db', {
      adminPassword: PlatformSecret.named('my-db', 'admin'),
      kubernetes: {
        tlsSecretName: 'db-tls',
        keyFile: PlatformSecret.named('my-db', 'keyfile'),
        monitorPassword: PlatformSecret.named('my-db', 'monitor'),
        backupPassword: PlatformSecret.named('my-db', 'backup'),
      },
    } as any);
    manifestsOf(userChart);
    expect(KubernetesPlatform.of(userChart).ownedCredentials).toEqual([]);
  });

  test('one Secret key owned twice with different formats fails, naming both owners', () => {
    const c = kubernetesChart();
    const platform = KubernetesPlatform.of(c);
    platform.declareOwnedCredential(c, PlatformSecret.named('shared', 'value'), CredentialFormat.PASSWORD);
    expect(() => platform.declareOwnedCredential(platform, PlatformSecret.named('shared', 'value'), CredentialFormat.MONGO_KEYFILE))
      .toThrow('platform/PortablePlatform: owned credential is also owned by platform as a password (got "shared/value"): give each construct its own Secret');
  });
});
