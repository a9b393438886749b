import { Duration } from 'aws-cdk-lib';
import { provisionedChart } from './fixtures';
import { AlertReceiver, CredentialProvisioning, KubernetesPlatform, ObservabilityStack, PlatformSecret, SecretStoreReference } from '../../../src';
import { expectKubernetesConformance, validateCustomResource } from '../../conformance/kubernetes';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../../util';

describe('credentials: CredentialProvisioning.externalSecrets()', () => {
  const { platform, manifests } = provisionedChart(CredentialProvisioning.externalSecrets());

  test('one Password generator per owned Secret and format, producing exactly the format', () => {
    expect(objectsOfKind(manifests, 'Password').map(o => o.metadata.name).sort()).toEqual([
      'events-erlang-cookie-erlang-cookie', 'orders-db-admin-password', 'orders-db-keyfile-mongo-keyfile', 'orders-db-pbm-password',
    ]);
    // 32 letters and digits, hex-encoded: 64 hex characters, like the Job's 32 random bytes.
    expect(findObject(manifests, 'Password', 'orders-db-admin-password').spec).toEqual({
      length: 32,
      digits: 8,
      symbols: 0,
      noUpper: false,
      allowRepeat: true,
      encoding: 'hex',
      secretKeys: ['monitor-password', 'password'],
    });
    // 756 characters, base64-encoded: 1,008 base64 characters, a key file mongod accepts (≤ 1,024, base64 alphabet).
    expect(findObject(manifests, 'Password', 'orders-db-keyfile-mongo-keyfile').spec).toMatchObject({ length: 756, encoding: 'base64', secretKeys: ['keyfile'] });
  });

  test('each owned Secret is generated once and never rewritten, not even by a re-created ExternalSecret', () => {
    const admin = findObject(manifests, 'ExternalSecret', 'orders-db-admin');
    expect(admin.spec).toEqual({
      refreshPolicy: 'CreatedOnce',
      refreshInterval: '0s',
      target: { name: 'orders-db-admin', creationPolicy: 'Orphan', deletionPolicy: 'Retain', immutable: true },
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'orders-db-admin-password' } } }],
    });
    const generated = objectsOfKind(manifests, 'ExternalSecret').map(o => o.spec.target.name).sort();
    expect(generated).toEqual([...new Set(platform.ownedCredentials.map(c => c.secretName))].sort());
  });

  test('no manifest holds a Secret, and every object passes the harness and the operator\'s CRDs', () => {
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
    expectKubernetesConformance(manifests);
    expect(platform.provisionedCredentials.externalSecrets!.externalSecrets).toHaveLength(4);
    expect(platform.provisionedCredentials.generatorJob).toBeUndefined();
  });

  test('the CRD check is strict: an unknown field, a wrong enum and a missing field are findings', () => {
    const admin = findObject(manifests, 'ExternalSecret', 'orders-db-admin');
    const broken = { ...admin, spec: { ...admin.spec, refreshPolicy: 'Never', target: { ...admin.spec.target, immutible: true } } };
    expect(validateCustomResource(broken).map(f => f.message)).toEqual([
      'spec.refreshPolicy: "Never" is not one of CreatedOnce, Periodic, OnChange',
      'spec.target.immutible: unknown field',
    ]);
    const { name, ...unnamed } = admin.spec.dataFrom[0].sourceRef.generatorRef;
    expect(name).toBe('orders-db-admin-password');
    expect(validateCustomResource({ ...admin, spec: { ...admin.spec, dataFrom: [{ sourceRef: { generatorRef: unnamed } }] } }).map(f => f.message))
      .toEqual(['spec.dataFrom[0].sourceRef.generatorRef.name: required field missing']);
    // A required field the CRD defaults is filled in by the API server: never missing.
    const generator = findObject(manifests, 'Password', 'orders-db-admin-password');
    const { allowRepeat, ...withoutRepeat } = generator.spec;
    expect(allowRepeat).toBe(true);
    expect(validateCustomResource({ ...generator, spec: withoutRepeat })).toEqual([]);
  });
});

describe('remote secrets', () => {
  function withRemote(provisioning: CredentialProvisioning) {
    const chart = kubernetesChart();
    new KubernetesPlatform(chart, 'Platform', { credentials: provisioning });
    new ObservabilityStack(chart, 'Observability', {
      receivers: [AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('alerting-slack', 'webhook-url'), channel: '#alerts' })],
    });
    return manifestsOf(chart);
  }

  test('a secret you supply is copied from your store, refreshed on the interval, with the key you map', () => {
    const manifests = withRemote(CredentialProvisioning.externalSecrets({
      secretStore: SecretStoreReference.clusterSecretStore('vault'),
      refreshInterval: Duration.minutes(15),
      remoteSecrets: [{ secret: PlatformSecret.named('alerting-slack', 'webhook-url'), remoteKey: 'shop/alerting', remoteProperty: 'slack' }],
    }));
    expect(findObject(manifests, 'ExternalSecret', 'alerting-slack').spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'alerting-slack', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [{ secretKey: 'webhook-url', remoteRef: { key: 'shop/alerting', property: 'slack' } }],
    });
    // Grafana's admin password is owned: generated, not copied.
    expect(findObject(manifests, 'ExternalSecret', 'grafana-admin').spec.refreshPolicy).toBe('CreatedOnce');
    expectKubernetesConformance(manifests);
  });

  test('a remote secret may name its own store; the default refresh is an hour', () => {
    const manifests = withRemote(CredentialProvisioning.externalSecrets({
      remoteSecrets: [{ secret: PlatformSecret.named('alerting-slack', 'webhook-url'), remoteKey: 'alerting-slack', store: SecretStoreReference.secretStore('aws') }],
    }));
    expect(findObject(manifests, 'ExternalSecret', 'alerting-slack').spec).toMatchObject({
      refreshInterval: '1h', secretStoreRef: { name: 'aws', kind: 'SecretStore' }, data: [{ secretKey: 'webhook-url', remoteRef: { key: 'alerting-slack' } }],
    });
    expectKubernetesConformance(manifests);
  });
});
