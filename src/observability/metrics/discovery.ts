import { IConstruct } from 'constructs';
import { KNOWN_KINDS, SIGNALS } from './signals';
import { CloudWatchSource, cloudWatchSourceOf } from '../../platform/cloudwatch-source';
import { invalidPropMessage } from '../../platform/errors';
import { MetricsSource } from '../../platform/metrics';
import { isDnsLabel } from '../../platform/names';
import { INetworkPeer, NetworkPeer } from '../../platform/network';
import { QueueCloudWatchMetrics, queueCloudWatchMetricsOf } from '../../platform/queue-metrics';

/** A construct the stack observes, and how it exposes metrics. */
export interface WatchedSource {
  readonly construct: IConstruct;
  readonly source: MetricsSource;
}

/** Whether `construct` exposes a metrics source (duck typing: any construct with `metricsSource`). */
export function metricsSourceOf(construct: IConstruct): MetricsSource | undefined {
  const candidate = (construct as { metricsSource?: unknown }).metricsSource;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const s = candidate as Partial<MetricsSource>;
  return typeof s.job === 'string' && typeof s.kind === 'string' && typeof s.port === 'number' ? candidate as MetricsSource : undefined;
}

/** A managed resource the stack watches through CloudWatch (no Prometheus exporter on its target). */
export interface CloudWatchWatched {
  readonly construct: IConstruct;
  readonly source: CloudWatchSource;
}

/** The constructs among `candidates` watched through CloudWatch: a CloudWatch source and no metrics source. */
export function cloudWatchSources(candidates: readonly IConstruct[]): CloudWatchWatched[] {
  return candidates.flatMap(construct => {
    const source = metricsSourceOf(construct) ? undefined : cloudWatchSourceOf(construct);
    return source ? [{ construct, source }] : [];
  });
}

/** The queues among `candidates` watched through CloudWatch: SQS has no Prometheus endpoint. */
export function cloudWatchQueues(candidates: readonly IConstruct[]): QueueCloudWatchMetrics[] {
  return candidates.flatMap(construct => {
    const queue = queueCloudWatchMetricsOf(construct);
    return queue ? [queue] : [];
  });
}

/** Every construct under `root` (outside `self`), for CloudWatch discovery. */
export function constructsOutside(root: IConstruct, self: IConstruct): IConstruct[] {
  const selfPath = `${self.node.path}/`;
  return root.node.findAll().filter(c => c !== self && !c.node.path.startsWith(selfPath));
}

/** Every construct under `root` (outside `self`) with a metrics source, in tree order: linear in the tree. */
export function discoverSources(root: IConstruct, self: IConstruct): WatchedSource[] {
  const selfPath = `${self.node.path}/`;
  const found: WatchedSource[] = [];
  for (const construct of root.node.findAll()) {
    if (construct === self || construct.node.path.startsWith(selfPath)) continue;
    const source = metricsSourceOf(construct);
    if (source) found.push({ construct, source });
  }
  return found;
}

/** The explicitly watched constructs; each must expose metrics (checked when the stack is created). */
export function explicitSources(watch: readonly IConstruct[]): WatchedSource[] {
  return watch.flatMap(construct => {
    const source = metricsSourceOf(construct);
    return source ? [{ construct, source }] : [];
  });
}

/** Problems with the explicit `watch` list. */
export function watchProblems(scope: IConstruct, watch: readonly IConstruct[] | undefined): string[] {
  return (watch ?? []).flatMap((construct, i) => metricsSourceOf(construct) || cloudWatchSourceOf(construct) ? [] : [invalidPropMessage(scope, `watch[${i}]`,
    `(${construct.node.path}) exposes no metrics`, 'no metricsSource and no CloudWatch metrics',
    `watch only constructs with a metricsSource (ServiceCluster, Gateway, CacheCluster, MongoShardedCluster); alerts on ${construct.node.path} could never fire`)]);
}

/** Problems with what was discovered: unknown kinds, clashing or unusable job names. */
export function sourceProblems(scope: IConstruct, sources: readonly WatchedSource[], maxJobLength: number): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { construct, source } of sources) {
    const where = `metricsSource of ${construct.node.path}`;
    if (!SIGNALS[source.kind]) {
      problems.push(invalidPropMessage(scope, `${where}: kind`, 'is unknown', source.kind,
        `the observability stack knows ${KNOWN_KINDS.join(', ')}; a new kind needs a row in its signals table`));
    }
    if (!isDnsLabel(source.job) || source.job.length > maxJobLength) {
      problems.push(invalidPropMessage(scope, `${where}: job`, 'cannot name a scrape job', source.job,
        `use a DNS label of at most ${maxJobLength} characters`));
    }
    const other = seen.get(source.job);
    if (other) {
      problems.push(invalidPropMessage(scope, `${where}: job`, `is also the job of ${other}`, source.job,
        'give every observed construct a distinct name'));
    }
    seen.set(source.job, construct.node.path);
  }
  return problems;
}

/**
 * Admits `peer` to `construct`'s metrics port alone, through its `allowMetricsFrom`. Never through
 * `allowFrom`: on a construct of your own it may ignore `AccessPurpose.METRICS` and admit clients to
 * the data ports, which a scraper has no business reaching. Every platform construct keeps its
 * (deprecated) `allowMetricsFrom` as `allowFrom(peer, { purpose: AccessPurpose.METRICS })`, so
 * duck typing on it stays exact. Returns whether the construct offers it.
 */
export function allowScrapeFrom(construct: IConstruct, peer: INetworkPeer): boolean {
  const allowMetricsFrom = (construct as { allowMetricsFrom?: unknown }).allowMetricsFrom;
  if (typeof allowMetricsFrom !== 'function') return false;
  allowMetricsFrom.call(construct, peer);
  return true;
}

/** The construct's network identity, when it has one (duck typing). */
export function networkIdentityOf(construct: IConstruct): NetworkPeer | undefined {
  const identity = (construct as { networkIdentity?: unknown }).networkIdentity;
  return identity instanceof NetworkPeer ? identity : undefined;
}
