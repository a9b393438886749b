import { Construct } from 'constructs';
import { AlertReceiver } from '../../src/observability/alerting/receivers';
import { MetricsSource } from '../../src/platform/metrics';
import { INetworkPeer } from '../../src/platform/network';

/**
 * A stand-in for a platform construct the stack does not know by class (a cache, a MongoDB
 * cluster, a gateway): it only exposes `metricsSource`, `allowFrom` and `allowMetricsFrom`.
 */
export class FakeSource extends Construct {
  public readonly metricsSource: MetricsSource;
  /** Peers admitted to the data port. */
  public readonly admitted: INetworkPeer[] = [];
  /** Peers admitted to the metrics port. */
  public readonly metricsAdmitted: INetworkPeer[] = [];

  constructor(scope: Construct, id: string, source: Partial<MetricsSource> & { job: string; kind: string }) {
    super(scope, id);
    this.metricsSource = {
      port: 9121,
      path: '/metrics',
      host: `${source.job}.shop.svc.cluster.local`,
      selector: { 'app.kubernetes.io/name': source.job },
      namespace: 'shop',
      ...source,
    };
  }

  public allowFrom(peer: INetworkPeer): void {
    this.admitted.push(peer);
  }

  public allowMetricsFrom(peer: INetworkPeer): void {
    this.metricsAdmitted.push(peer);
  }
}

/** A construct without metrics. */
export class Silent extends Construct {}

/** One receiver: the production profile refuses a stack whose alerts would go nowhere. */
export const ONCALL = [AlertReceiver.webhook('https://oncall.example.com/alerts', { snsEnvelopeOnAws: true })];
