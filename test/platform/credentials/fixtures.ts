import { Chart } from 'cdk8s';
import { CertificateProvisioning, CredentialProvisioning, KubernetesPlatform, MessageQueue, MongoShardedCluster } from '../../../src';
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
