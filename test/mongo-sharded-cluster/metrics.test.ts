import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { alertRuleGroups, alertsOf } from '../../src/observability/alerting/alert-rules';
import { RULES_INPUT } from '../observability/alert-cases';
import { awsStack, kubernetesChart } from '../util';

describe('MongoShardedCluster portable metrics', () => {
  test('on kubernetes: the PromQL of MongoConnectionsHigh and MongoReplicationLagHigh (mongodb_exporter)', () => {
    const db = new MongoShardedCluster(kubernetesChart(), 'OrdersDb');
    const alerts = alertsOf(alertRuleGroups({ ...RULES_INPUT, jobs: [{ job: db.metricsSource!.job, kind: 'mongo' }] }));
    const expr = (name: string) => alerts.find(a => a.alert === name)!.expr;
    const t = RULES_INPUT.thresholds;
    expect(expr('MongoConnectionsHigh')).toBe(`${db.metricConnectionsUtilization().promQl} > ${t.mongoConnectionsUtilization}`);
    expect(expr('MongoReplicationLagHigh')).toBe(`${db.metricReplicationLag().promQl} > ${t.mongoReplicationLagSeconds}`);
    expect(db.prometheusMetric('mongodb_up').promQl).toBe(`mongodb_up{job="${db.metricsSource!.job}"}`);
  });

  test('on AWS each names the construct and what to use instead (DocumentDB Elastic publishes CloudWatch metrics)', () => {
    const db = new MongoShardedCluster(awsStack(), 'OrdersDb');
    expect(() => db.metricConnectionsUtilization()).toThrow(
      'Platform/OrdersDb: metricConnectionsUtilization() has no meaning on aws: use metricDatabaseConnections() (CloudWatch) for the connection count');
    expect(() => db.metricReplicationLag()).toThrow(
      'Platform/OrdersDb: metricReplicationLag() has no meaning on aws: DocumentDB Elastic manages replication: use metric(metricName) for its CloudWatch metrics');
    expect(() => db.prometheusMetric('mongodb_up')).toThrow(
      'Platform/OrdersDb: prometheusMetric() has no meaning on aws: DocumentDB Elastic publishes CloudWatch metrics only: use metric(metricName)');
    expect(db.metricDatabaseConnections().metricName).toBe('DatabaseConnections');
  });
});
