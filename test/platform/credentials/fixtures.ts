import { Chart } from 'cdk8s';
import { CRD_KINDS, gvkOf, validateCustomResource } from './crd-schema';
import { CertificateProvisioning, CredentialProvisioning, KubernetesPlatform, MessageQueue, MongoShardedCluster } from '../../../src';
import { checkKubernetesManifests, Finding, formatFindings } from '../../conformance/kubernetes';
import { kubernetesChart, manifestsOf } from '../../util';

export interface ProvisionedChart {
  readonly chart: Chart;
  readonly platform: KubernetesPlatform;
  readonly manifests: any[];
}

/**
 * A Chart in namespace `shop` whose platform provisions as asked, with a MongoDB cluster (admin
 * passwords, keyfile, TLS) and a queue (Erlang cookie, TLS): every format and both certificate owners.
 */
export function provisionedChart(credentials?: CredentialProvisioning, certificates?: CertificateProvisioning): ProvisionedChart {
  const chart = kubernetesChart();
  const platform = new KubernetesPlatform(chart, 'Platform', { credentials, certificates });
  new MongoShardedCluster(chart, 'Db', { clusterName: 'orders-db', shards: 1 });
  new MessageQueue(chart, 'Events', { queueName: 'events' });
  return { chart, platform, manifests: manifestsOf(chart) };
}

/**
 * The conformance harness on every object, with the External Secrets and cert-manager objects
 * checked against their CRDs instead of reported as unknown kinds.
 */
export function conformanceFindings(manifests: any[]): Finding[] {
  const harness = checkKubernetesManifests(manifests).findings
    .filter(f => !(f.rule === 'Schema-UnknownKind' && manifests.some(o => CRD_KINDS.has(gvkOf(o)) && f.object.startsWith(gvkOf(o)))));
  return [...harness, ...manifests.flatMap(validateCustomResource)];
}

export function expectConformance(manifests: any[]): void {
  const findings = conformanceFindings(manifests);
  if (findings.length > 0) throw new Error(`${findings.length} finding(s):\n${formatFindings(findings)}`);
}
