import { provisionedChart } from './fixtures';
import { CredentialProvisioning } from '../../../src';
import { platformWarningsOf } from '../../../src/platform/warnings';
import { expectKubernetesConformance } from '../../conformance/kubernetes';
import { findObject, objectsOfKind } from '../../util';

const quiet = () => jest.spyOn(console, 'warn').mockImplementation(() => {});

describe('credentials: CredentialProvisioning.generatorJob()', () => {
  quiet();
  const { chart, platform, manifests } = provisionedChart(CredentialProvisioning.generatorJob({ apiServerCidrs: ['10.0.0.10/32', '10.0.0.11/32'] }));
  const job = objectsOfKind(manifests, 'Job').find(o => o.metadata.name.startsWith('platform-credentials-'));

  test('a Job named from its pod template and script, kept a week, restricted, with a short-lived token of its own', () => {
    expect(job.metadata.name).toMatch(/^platform-credentials-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 6, ttlSecondsAfterFinished: 7 * 24 * 3600 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ serviceAccountName: 'platform-credentials', automountServiceAccountToken: false, restartPolicy: 'OnFailure' });
    expect(pod.containers[0]).toMatchObject({ image: 'curlimages/curl:8.11.1', command: ['/bin/sh', '/opt/credentials/generate-credentials.sh'] });
    expect(pod.volumes.find((v: any) => v.name === 'token').projected.sources).toEqual([
      { serviceAccountToken: { path: 'token', expirationSeconds: 600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ]);
    expect(pod.volumes.find((v: any) => v.name === 'tmp').emptyDir.medium).toBe('Memory');
    expect(platform.provisionedCredentials.generatorJob!.job.name).toBe(job.metadata.name);
  });

  test('RBAC: create on Secrets (RBAC cannot limit create by name), get only on the owned Secrets, nothing else', () => {
    expect(findObject(manifests, 'Role', 'platform-credentials').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['events-erlang-cookie', 'orders-db-admin', 'orders-db-keyfile', 'orders-db-pbm'], verbs: ['get'] },
    ]);
    expect(findObject(manifests, 'RoleBinding', 'platform-credentials').subjects).toEqual([{ kind: 'ServiceAccount', name: 'platform-credentials', namespace: 'shop' }]);
    // The script creates exactly those names.
    const script: string = findObject(manifests, 'ConfigMap', 'platform-credentials-script').data['generate-credentials.sh'];
    expect(script.split('\n').filter(l => l.startsWith('ensure_secret ')).map(l => l.split(' ')[1])).toEqual(["'events-erlang-cookie'", "'orders-db-admin'", "'orders-db-keyfile'", "'orders-db-pbm'"]);
  });

  test('egress only to the API server addresses given, on its ports; no ingress', () => {
    expect(findObject(manifests, 'NetworkPolicy', 'platform-credentials').spec).toEqual({
      podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'platform-credentials' }) },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }, { ipBlock: { cidr: '10.0.0.11/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
    });
    expect(platformWarningsOf(chart)).toEqual([]);
  });

  test('no Secret in the manifests; strict schema, Pod Security restricted and reliability rules pass', () => {
    expect(objectsOfKind(manifests, 'Secret')).toEqual([]);
    expectKubernetesConformance(manifests);
  });

  test('a new owned credential renames the Job, so the new one runs', () => {
    const other = provisionedChart(CredentialProvisioning.generatorJob({ apiServerCidrs: ['10.0.0.10/32'] }));
    const otherJob = objectsOfKind(other.manifests, 'Job').find(o => o.metadata.name.startsWith('platform-credentials-'));
    expect(otherJob.metadata.name).toBe(job.metadata.name);
    const image = provisionedChart(CredentialProvisioning.generatorJob({ apiServerCidrs: ['10.0.0.10/32'], image: 'curlimages/curl:8.12.0' }));
    expect(objectsOfKind(image.manifests, 'Job').some(o => o.metadata.name === job.metadata.name)).toBe(false);
  });
});

test('without apiServerCidrs the Job may reach any address on the API server ports, with a warning that says how to narrow it', () => {
  quiet();
  const { chart, manifests } = provisionedChart(CredentialProvisioning.generatorJob());
  expect(findObject(manifests, 'NetworkPolicy', 'platform-credentials').spec.egress).toEqual([{
    to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }],
  }]);
  expect(platformWarningsOf(chart).map(w => w.message)).toEqual([
    'the credential generator Job may reach any address on the API server ports, since the API server\'s address is unknown at synthesis: ' +
    'set credentials: CredentialProvisioning.generatorJob({ apiServerCidrs }) to the addresses of `kubectl get endpoints kubernetes -n default`',
  ]);
});

test('manual provisioning emits nothing', () => {
  const { platform, manifests } = provisionedChart();
  expect(manifests.filter(o => ['credentials', 'certificates'].includes(o.metadata.labels?.['app.kubernetes.io/component']))).toEqual([]);
  expect(platform.provisionedCredentials).toEqual({});
  expect(platform.provisionedCertificates).toEqual({ certificates: [] });
});
