import { kubernetesReferencePlatform } from './fixtures';
import { KubernetesPlatform } from '../../src';
import { objectsOfKind } from '../util';

/** Every Secret name the manifests read (env `secretKeyRef`, `secret` volumes, projected Secrets). */
function secretsRead(manifests: readonly any[]): Set<string> {
  const names = new Set<string>();
  const walk = (node: any): void => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (!node || typeof node !== 'object') return;
    if (node.secretKeyRef?.name) names.add(node.secretKeyRef.name);
    if (node.secret?.secretName) names.add(node.secret.secretName);
    Object.values(node).forEach(walk);
  };
  manifests.forEach(walk);
  return names;
}

describe('reference platform on Kubernetes: nothing to create by hand', () => {
  const { chart, manifests } = kubernetesReferencePlatform();
  const platform = KubernetesPlatform.of(chart);

  test('every Secret the manifests read is created by the External Secrets Operator or cert-manager, none is in a manifest', () => {
    const provided = new Set([
      ...objectsOfKind(manifests, 'ExternalSecret').map(o => o.spec.target.name),
      ...objectsOfKind(manifests, 'Certificate').map(o => o.spec.secretName),
    ]);
    expect([...secretsRead(manifests)].filter(name => !provided.has(name))).toEqual([]);
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
  });

  test('owned credentials are generated once; the Slack webhook comes from the store; data stores get certificates from the platform CA', () => {
    const generated = objectsOfKind(manifests, 'ExternalSecret').filter(o => o.spec.refreshPolicy === 'CreatedOnce').map(o => o.spec.target.name).sort();
    expect(generated).toEqual([...new Set(platform.ownedCredentials.map(c => c.secretName))].sort());
    const remote = objectsOfKind(manifests, 'ExternalSecret').filter(o => o.spec.secretStoreRef);
    expect(remote.map(o => [o.spec.target.name, o.spec.secretStoreRef, o.spec.data])).toEqual([['alerting-slack', { name: 'platform-secrets', kind: 'ClusterSecretStore' },
      [{ secretKey: 'webhook-url', remoteRef: { key: 'reference-platform/alerting', property: 'slack-webhook-url' } }]]]);
    expect(platform.ownedCertificates.map(c => c.secretName)).toEqual(['order-events-tls', 'shop-cache-tls', 'shop-db-tls']);
    const issuers = objectsOfKind(manifests, 'Certificate').map(o => `${o.metadata.name} ← ${o.spec.issuerRef.kind}/${o.spec.issuerRef.name}`).sort();
    expect(issuers).toEqual(['api ← ClusterIssuer/letsencrypt-prod', 'order-events-tls ← Issuer/platform-ca', 'platform-ca ← Issuer/platform-selfsigned',
      'shop-cache-tls ← Issuer/platform-ca', 'shop-db-tls ← Issuer/platform-ca']);
  });
});
