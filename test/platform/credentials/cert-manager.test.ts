import { Duration } from 'aws-cdk-lib';
import { provisionedChart } from './fixtures';
import {
  CertificateIssuerReference, CertificateKeyAlgorithm, CertificateProvisioning, KubernetesPlatform, MessageQueue, MongoShardedCluster,
} from '../../../src';
import { expectKubernetesConformance, validateCustomResource } from '../../conformance/kubernetes';
import { findObject, kubernetesChart, objectsOfKind } from '../../util';

describe('certificates: CertificateProvisioning.selfSignedCa()', () => {
  const { platform, manifests } = provisionedChart(undefined, CertificateProvisioning.selfSignedCa());

  test('a self-signed Issuer signs the CA certificate; the CA Issuer signs each data store\'s certificate', () => {
    expect(findObject(manifests, 'Issuer', 'platform-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(findObject(manifests, 'Certificate', 'platform-ca').spec).toMatchObject({
      isCA: true, secretName: 'platform-ca', duration: '87600h', renewBefore: '8760h', issuerRef: { kind: 'Issuer', name: 'platform-selfsigned', group: 'cert-manager.io' },
    });
    // A CA issuer fills ca.crt with its CA (cert-manager pkg/controller/certificaterequests/ca/ca.go): the data stores' clients trust it.
    expect(findObject(manifests, 'Issuer', 'platform-ca').spec).toEqual({ ca: { secretName: 'platform-ca' } });
    for (const name of ['orders-db-tls', 'events-tls']) {
      expect(findObject(manifests, 'Certificate', name).spec.issuerRef).toEqual({ name: 'platform-ca', kind: 'Issuer', group: 'cert-manager.io' });
    }
  });

  test('each owned TLS Secret gets a certificate for the DNS names its owner declared, with defaults', () => {
    expect(platform.ownedCertificates.map(c => c.secretName)).toEqual(['events-tls', 'orders-db-tls']);
    const mongo = findObject(manifests, 'Certificate', 'orders-db-tls').spec;
    expect(mongo).toMatchObject({
      secretName: 'orders-db-tls',
      duration: '2160h',
      renewBefore: '720h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['digital signature', 'server auth', 'client auth'],
    });
    expect(mongo.dnsNames).toEqual(platform.ownedCertificates.find(c => c.secretName === 'orders-db-tls')!.dnsNames);
    expect(mongo.dnsNames).toEqual(expect.arrayContaining(['orders-db-shard-0-0.orders-db-shard-0.shop.svc.cluster.local', 'orders-db.shop.svc.cluster.local', 'localhost']));
    expect(findObject(manifests, 'Certificate', 'events-tls').spec.dnsNames).toEqual(expect.arrayContaining([
      'events-0.events-nodes.shop.svc.cluster.local', 'events-2.events-nodes.shop.svc.cluster.local', 'events.shop.svc.cluster.local',
    ]));
  });

  test('strict against cert-manager\'s CRDs, and the harness passes', () => {
    expectKubernetesConformance(manifests);
    expect(platform.provisionedCertificates.caIssuer).toBeDefined();
  });

  test('the CRD check is strict: an unknown field, a wrong enum and an issuer type the fixture leaves out are findings', () => {
    const certificate = findObject(manifests, 'Certificate', 'orders-db-tls');
    const broken = { ...certificate, spec: { ...certificate.spec, privateKey: { ...certificate.spec.privateKey, rotationPolicy: 'Sometimes' }, dnsName: 'x' } };
    expect(validateCustomResource(broken).map(f => f.message)).toEqual([
      'spec.privateKey.rotationPolicy: "Sometimes" is not one of Never, Always',
      'spec.dnsName: unknown field',
    ]);
    const issuer = findObject(manifests, 'Issuer', 'platform-ca');
    expect(validateCustomResource({ ...issuer, spec: { ...issuer.spec, acme: {} } }).map(f => f.message)).toEqual(['spec.acme: unknown field']);
  });
});

test('certificates: CertificateProvisioning.certManager() uses your issuer, key and validity', () => {
  const { manifests } = provisionedChart(undefined, CertificateProvisioning.certManager({
    issuerRef: CertificateIssuerReference.clusterIssuer('vault'),
    keyAlgorithm: CertificateKeyAlgorithm.RSA_3072,
    duration: Duration.days(30),
    renewBefore: Duration.hours(36),
  }));
  expect(objectsOfKind(manifests, 'Issuer')).toEqual([]);
  expect(findObject(manifests, 'Certificate', 'events-tls').spec).toMatchObject({
    issuerRef: { name: 'vault', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    duration: '720h',
    renewBefore: '36h',
    privateKey: { algorithm: 'RSA', size: 3072 },
    usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
  });
  expectKubernetesConformance(manifests);
});

test('a short duration renews at a third of it by default', () => {
  const provisioning = CertificateProvisioning.selfSignedCa({ duration: Duration.hours(24), caDuration: Duration.days(90) });
  const { manifests } = provisionedChart(undefined, provisioning);
  expect(findObject(manifests, 'Certificate', 'events-tls').spec).toMatchObject({ duration: '24h', renewBefore: '8h' });
  expect(findObject(manifests, 'Certificate', 'platform-ca').spec).toMatchObject({ duration: '2160h', renewBefore: '720h' });
});

test('a MongoDB cluster without TLS owns no certificate', () => {
  const chart = kubernetesChart();
  new MongoShardedCluster(chart, 'Db', { clusterName: 'plain-db', shards: 1, tls: false });
  new MessageQueue(chart, 'Events', { queueName: 'events' });
  expect(KubernetesPlatform.of(chart).ownedCertificates.map(c => c.secretName)).toEqual(['events-tls']);
});
