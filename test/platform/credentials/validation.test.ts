import { Duration } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import {
  CertificateIssuerReference, CertificateProvisioning, CredentialFormat, CredentialProvisioning, KubernetesPlatform, MongoShardedCluster,
  PlatformSecret, SecretStoreReference,
} from '../../../src';
import { kubernetesChart } from '../../util';

const platform = (props: { credentials?: CredentialProvisioning; certificates?: CertificateProvisioning }) => () => new KubernetesPlatform(kubernetesChart(), 'Platform', props);
const slack = PlatformSecret.named('alerting-slack', 'webhook-url');
const store = SecretStoreReference.clusterSecretStore('vault');

describe('credentials validation: one test per message', () => {
  test('store name', () => {
    expect(platform({ credentials: CredentialProvisioning.externalSecrets({ secretStore: SecretStoreReference.secretStore('My_Store') }) }))
      .toThrow('platform/Platform: credentials.secretStore has an invalid store name (got "My_Store"): use lowercase letters');
  });
  test('remote secret reference', () => {
    expect(platform({ credentials: CredentialProvisioning.externalSecrets({ secretStore: store, remoteSecrets: [{ secret: PlatformSecret.named('Slack', 'url'), remoteKey: 'k' }] }) }))
      .toThrow('platform/Platform: credentials.remoteSecrets[0].secret has an invalid secret name (got "Slack")');
  });
  test('remote key', () => {
    expect(platform({ credentials: CredentialProvisioning.externalSecrets({ secretStore: store, remoteSecrets: [{ secret: slack, remoteKey: ' shop/alerting' }] }) }))
      .toThrow('platform/Platform: credentials.remoteSecrets[0].remoteKey is empty or has surrounding whitespace (got " shop/alerting"): the key of the secret in your store');
  });
  test('no store', () => {
    expect(platform({ credentials: CredentialProvisioning.externalSecrets({ remoteSecrets: [{ secret: slack, remoteKey: 'shop/alerting' }] }) }))
      .toThrow('platform/Platform: credentials.remoteSecrets[0].store is not set and there is no default store (got undefined): ' +
        'set credentials: CredentialProvisioning.externalSecrets({ secretStore }) or the remote secret\'s store');
  });
  test('a Secret key mapped twice', () => {
    expect(platform({ credentials: CredentialProvisioning.externalSecrets({ secretStore: store, remoteSecrets: [{ secret: slack, remoteKey: 'a' }, { secret: slack, remoteKey: 'b' }] }) }))
      .toThrow('platform/Platform: credentials.remoteSecrets[1] maps the same Secret key as credentials.remoteSecrets[0] (got "alerting-slack/webhook-url"): map each Secret key once');
  });
  test('one Secret from two stores', () => {
    expect(platform({
      credentials: CredentialProvisioning.externalSecrets({
        secretStore: store,
        remoteSecrets: [{ secret: slack, remoteKey: 'a' }, { secret: PlatformSecret.named('alerting-slack', 'other'), remoteKey: 'b', store: SecretStoreReference.secretStore('aws') }],
      }),
    })).toThrow('platform/Platform: credentials.remoteSecrets reads Secret alerting-slack from two stores (got ["ClusterSecretStore/vault","SecretStore/aws"]): read the keys of one Secret from one store');
  });
  test('a remote secret cannot replace a credential a construct owns (checked at synthesis)', () => {
    const chart = kubernetesChart();
    new KubernetesPlatform(chart, 'Platform', {
      credentials: CredentialProvisioning.externalSecrets({ secretStore: store, remoteSecrets: [{ secret: PlatformSecret.named('orders-db-admin', 'password'), remoteKey: 'db' }] }),
    });
    new MongoShardedCluster(chart, 'Db', { clusterName: 'orders-db', shards: 1 });
    expect(() => Testing.synth(chart)).toThrow('platform/Platform: credentials.remoteSecrets[0] names Secret orders-db-admin, which platform/Db owns and the operator generates ' +
      '(got "orders-db-admin/password"): pass your own secret to that construct\'s props instead, or map another Secret');
  });
  test('API server CIDR', () => {
    expect(platform({ credentials: CredentialProvisioning.generatorJob({ apiServerCidrs: ['10.0.0.300/32'] }) }))
      .toThrow('platform/Platform: credentials.apiServerCidrs has an invalid CIDR block (got "10.0.0.300/32"): use CIDR notation');
  });
  test('API server ports', () => {
    expect(platform({ credentials: CredentialProvisioning.generatorJob({ apiServerPorts: [0] }) }))
      .toThrow('platform/Platform: credentials.apiServerPorts must list TCP ports (got [0]): integers from 1 to 65535, e.g. [443, 6443]');
  });
  test('image', () => {
    expect(platform({ credentials: CredentialProvisioning.generatorJob({ image: 'curlimages/curl:latest' }) }))
      .toThrow('platform/Platform: credentials.image is not a pinned image reference (got "curlimages/curl:latest"): name:tag (not latest) or name@sha256:digest');
  });
  test('user', () => {
    expect(platform({ credentials: CredentialProvisioning.generatorJob({ runAsUser: 0 }) }))
      .toThrow('platform/Platform: credentials.runAsUser must be a non-root user ID (got 0): an integer of 1 or more');
  });
  test('a credential declared after the provisioner rendered', () => {
    const chart = kubernetesChart();
    const p = new KubernetesPlatform(chart, 'Platform', { credentials: CredentialProvisioning.externalSecrets() });
    expect(p.provisionedCredentials.externalSecrets!.externalSecrets).toEqual([]);
    expect(() => p.declareOwnedCredential(p, PlatformSecret.named('late', 'password'), CredentialFormat.PASSWORD))
      .toThrow('platform/Platform: owned credential late/password is declared after the platform\'s provisioners rendered');
  });
});

describe('certificates validation: one test per message', () => {
  test('issuer name', () => {
    expect(platform({ certificates: CertificateProvisioning.certManager({ issuerRef: CertificateIssuerReference.issuer('CA') }) }))
      .toThrow('platform/Platform: certificates.issuerRef has an invalid issuer name (got "CA"): use lowercase letters');
  });
  test('duration', () => {
    expect(platform({ certificates: CertificateProvisioning.selfSignedCa({ duration: Duration.minutes(30), renewBefore: Duration.minutes(10) }) }))
      .toThrow('platform/Platform: certificates.duration is shorter than cert-manager accepts (got "30 minutes"): at least 1 hour');
  });
  test('renewBefore minimum', () => {
    expect(platform({ certificates: CertificateProvisioning.selfSignedCa({ renewBefore: Duration.minutes(1) }) }))
      .toThrow('platform/Platform: certificates.renewBefore is shorter than cert-manager accepts (got "1 minute"): at least 5 minutes');
  });
  test('renewBefore not shorter than duration', () => {
    expect(platform({ certificates: CertificateProvisioning.selfSignedCa({ duration: Duration.days(7), renewBefore: Duration.days(7) }) }))
      .toThrow('platform/Platform: certificates.renewBefore must be shorter than certificates.duration (7 days) (got "7 days"): renew some time before the certificate expires');
  });
  test('the CA\'s validity too', () => {
    expect(platform({ certificates: CertificateProvisioning.selfSignedCa({ caDuration: Duration.days(30), caRenewBefore: Duration.days(60) }) }))
      .toThrow('platform/Platform: certificates.caRenewBefore must be shorter than certificates.caDuration (30 days) (got "60 days")');
  });
  test('owned certificate: Secret name', () => {
    const p = new KubernetesPlatform(kubernetesChart(), 'Platform');
    expect(() => p.declareOwnedCertificate(p, 'Db_TLS', ['db'])).toThrow('platform/Platform: owned certificate has an invalid Secret name (got "Db_TLS")');
  });
  test('owned certificate: DNS names', () => {
    const p = new KubernetesPlatform(kubernetesChart(), 'Platform');
    expect(() => p.declareOwnedCertificate(p, 'db-tls', [])).toThrow('platform/Platform: owned certificate has no DNS name (got []): give the DNS names its clients connect to');
  });
  test('owned certificate: one owner per Secret', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'Db', { clusterName: 'orders-db', shards: 1 });
    const p = KubernetesPlatform.of(chart);
    expect(() => p.declareOwnedCertificate(p, 'orders-db-tls', ['x'])).toThrow(
      'platform/PortablePlatform: owned certificate is also read by platform/Db (got "orders-db-tls"): give each construct its own TLS Secret');
  });
  test('a certificate declared after the provisioner rendered', () => {
    const p = new KubernetesPlatform(kubernetesChart(), 'Platform', { certificates: CertificateProvisioning.selfSignedCa() });
    expect(p.provisionedCertificates.certificates).toEqual([]);
    expect(() => p.declareOwnedCertificate(p, 'late-tls', ['late'])).toThrow('platform/Platform: owned certificate late-tls is declared after the platform\'s provisioners rendered');
  });
});
