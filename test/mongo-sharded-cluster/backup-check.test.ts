import * as vm from 'vm';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MongoShardedCluster, MongoShardedClusterProps } from '../../src/mongo-sharded-cluster';
import { BACKUP_OVERDUE_HOURS } from '../../src/mongo-sharded-cluster/aws-backup-check';
import {
  BACKUP_AGE_DIMENSION, BACKUP_AGE_HANDLER, BACKUP_AGE_METRIC, BACKUP_CHECK_ENV, BACKUP_METRIC_NAMESPACE, INLINE_CODE_LIMIT,
} from '../../src/mongo-sharded-cluster/backup-age-handler';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack, kubernetesChart } from '../util';

const CLUSTER_ARN = 'arn:aws:docdb-elastic:us-east-1:123456789012:cluster/0a1b2c3d-orders';
const OTHER_ARN = 'arn:aws:docdb-elastic:us-east-1:123456789012:cluster/9f8e7d6c-other';
const NOW = Date.parse('2026-12-03T12:00:00Z');
const HOUR = 3600_000;

interface Snapshot { clusterArn?: string; snapshotCreationTime: string; status: string; snapshotName?: string }
const snapshot = (hoursAgo: number, status = 'ACTIVE', clusterArn = CLUSTER_ARN): Snapshot =>
  ({ clusterArn, status, snapshotName: `s-${hoursAgo}`, snapshotCreationTime: new Date(NOW - hoursAgo * HOUR).toISOString() });

interface FakeAws {
  /** Pages per snapshot type, in order. */
  readonly pages: Record<string, { snapshots: Snapshot[]; nextToken?: string }[]>;
  readonly createTime?: string;
  readonly sent: { command: string; input: any }[];
}

/**
 * Loads the inline code the function deploys, as the Lambda Node.js runtime would (CommonJS), with
 * the two SDK modules replaced by fakes that record every command.
 */
function load(fake: FakeAws) {
  const command = (name: string) => class {
    static commandName = name;
    constructor(public readonly input: any) {}
  };
  const client = (respond: (name: string, input: any) => any) => class {
    async send(cmd: any) {
      const name = cmd.constructor.commandName;
      fake.sent.push({ command: name, input: cmd.input });
      return respond(name, cmd.input);
    }
  };
  const docdb = {
    ListClusterSnapshotsCommand: command('ListClusterSnapshots'),
    GetClusterCommand: command('GetCluster'),
    DocDBElasticClient: client((name, input) => {
      if (name === 'GetCluster') return { cluster: { clusterArn: input.clusterArn, createTime: fake.createTime } };
      const pages = fake.pages[input.snapshotType] ?? [{ snapshots: [] }];
      const index = input.nextToken === undefined ? 0 : Number(input.nextToken);
      return pages[index];
    }),
  };
  const cloudwatchSdk = { PutMetricDataCommand: command('PutMetricData'), CloudWatchClient: client(() => ({})) };
  const modules: Record<string, unknown> = { '@aws-sdk/client-docdb-elastic': docdb, '@aws-sdk/client-cloudwatch': cloudwatchSdk };
  class FixedDate extends Date { static now() { return NOW; } }
  const module = { exports: {} as any };
  const context = vm.createContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`the runtime has no module ${name} here`);
      return modules[name];
    },
    // The names the construct sets (BACKUP_CHECK_ENV), so the function reads what the template gives it.
    process: {
      env: {
        [BACKUP_CHECK_ENV.clusterArn]: CLUSTER_ARN,
        [BACKUP_CHECK_ENV.clusterName]: 'orders-db',
        [BACKUP_CHECK_ENV.namespace]: BACKUP_METRIC_NAMESPACE,
        [BACKUP_CHECK_ENV.metricName]: BACKUP_AGE_METRIC,
      },
    },
    console: { log: () => undefined },
    Date: FixedDate,
  });
  vm.runInContext(BACKUP_AGE_HANDLER, context, { filename: 'index.js' });
  return module.exports as { handler: () => Promise<number>; backupAgeHours: (s: Snapshot[], now: number, created?: number) => number | undefined };
}

const backupAgeHours = load({ pages: {}, sent: [] }).backupAgeHours;

describe('backupAgeHours: the age of the newest usable snapshot (pure)', () => {
  test('no snapshot: the cluster\'s age, as a new cluster counts as backed up; nothing known: undefined', () => {
    expect(backupAgeHours([], NOW, NOW - 5 * HOUR)).toBe(5);
    expect(backupAgeHours([], NOW, undefined)).toBeUndefined();
    expect(backupAgeHours([], NOW, NaN)).toBeUndefined();
  });

  test('one old snapshot: its age in hours', () => {
    expect(backupAgeHours([snapshot(30)], NOW)).toBe(30);
    expect(backupAgeHours([snapshot(1.5)], NOW, NOW - 100 * HOUR)).toBe(1.5);
  });

  test('creating, failed or deleting snapshots restore nothing: ignored', () => {
    const unusable = [snapshot(1, 'CREATING'), snapshot(2, 'INACCESSIBLE_ENCRYPTION_CREDS'), snapshot(3, 'DELETING')];
    expect(backupAgeHours([...unusable, snapshot(40)], NOW)).toBe(40);
    expect(backupAgeHours(unusable, NOW, NOW - 72 * HOUR)).toBe(72);
  });

  test('several snapshots, automated and manual, in any order: the newest', () => {
    expect(backupAgeHours([snapshot(49), snapshot(2.25), snapshot(25), snapshot(0.5, 'CREATING')], NOW)).toBe(2.25);
  });

  test('a snapshot timestamp it cannot read is ignored; a clock behind the snapshot gives 0, never a negative age', () => {
    expect(backupAgeHours([{ status: 'ACTIVE', snapshotCreationTime: 'not a time' }, snapshot(7)], NOW)).toBe(7);
    expect(backupAgeHours([snapshot(-0.1)], NOW)).toBe(0);
  });
});

describe('the inline handler, run with a fake AWS SDK', () => {
  test('lists automated and manual snapshots of the cluster, every page, and publishes the newest one\'s age', async () => {
    const fake: FakeAws = {
      pages: {
        automated: [{ snapshots: [snapshot(30), snapshot(54)], nextToken: '1' }, { snapshots: [snapshot(6, 'ACTIVE', OTHER_ARN), snapshot(7, 'CREATING')] }],
        manual: [{ snapshots: [snapshot(12)] }],
      },
      sent: [],
    };
    await expect(load(fake).handler()).resolves.toBe(12);
    expect(fake.sent.filter(s => s.command === 'ListClusterSnapshots').map(s => s.input)).toEqual([
      { clusterArn: CLUSTER_ARN, snapshotType: 'automated', nextToken: undefined },
      { clusterArn: CLUSTER_ARN, snapshotType: 'automated', nextToken: '1' },
      { clusterArn: CLUSTER_ARN, snapshotType: 'manual', nextToken: undefined },
    ]);
    expect(fake.sent.map(s => s.command)).not.toContain('GetCluster');
    expect(fake.sent.find(s => s.command === 'PutMetricData')!.input).toEqual({
      Namespace: BACKUP_METRIC_NAMESPACE,
      MetricData: [{ MetricName: BACKUP_AGE_METRIC, Dimensions: [{ Name: BACKUP_AGE_DIMENSION, Value: 'orders-db' }], Value: 12, Unit: 'None' }],
    });
  });

  test('another cluster\'s snapshot never counts, even when the service returns it', async () => {
    const fake: FakeAws = { pages: { automated: [{ snapshots: [snapshot(1, 'ACTIVE', OTHER_ARN), snapshot(40)] }] }, sent: [] };
    await expect(load(fake).handler()).resolves.toBe(40);
  });

  test('before the first snapshot: the age of the cluster, read with GetCluster', async () => {
    const fake: FakeAws = { pages: { automated: [{ snapshots: [snapshot(0.2, 'CREATING')] }] }, createTime: new Date(NOW - 3 * HOUR).toISOString(), sent: [] };
    await expect(load(fake).handler()).resolves.toBe(3);
    expect(fake.sent.find(s => s.command === 'GetCluster')!.input).toEqual({ clusterArn: CLUSTER_ARN });
  });

  test('nothing to measure: it fails and publishes nothing, which the alarm treats as breaching', async () => {
    const fake: FakeAws = { pages: {}, sent: [] };
    await expect(load(fake).handler()).rejects.toThrow(`no snapshot and no creation time for ${CLUSTER_ARN}`);
    expect(fake.sent.map(s => s.command)).not.toContain('PutMetricData');
  });

  test('fits CloudFormation\'s inline code limit and holds no ${ (read as a missed Fn::Sub)', () => {
    expect(BACKUP_AGE_HANDLER.length).toBeLessThan(INLINE_CODE_LIMIT);
    expect(BACKUP_AGE_HANDLER).not.toContain('${');
  });
});

function render(props: MongoShardedClusterProps = {}) {
  const stack = awsStack();
  const cluster = new MongoShardedCluster(stack, 'OrdersDb', props);
  return { stack, cluster, template: Template.fromStack(stack) };
}

describe('the backup check on AWS', () => {
  test('an hourly schedule invokes the function, which deploys exactly the tested code on the newest Node.js runtime', () => {
    const { template, cluster, stack } = render();
    const check = cluster.aws!.backupCheck!;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Code: { ZipFile: BACKUP_AGE_HANDLER },
      MemorySize: 128,
      Timeout: 60,
      Environment: {
        Variables: {
          CLUSTER_ARN: { 'Fn::GetAtt': [stack.getLogicalId(cluster.aws!.cluster), 'ClusterArn'] },
          CLUSTER_NAME: 'orders-db',
          METRIC_NAMESPACE: 'CdkPortablePlatform/Backups',
          METRIC_NAME: 'HoursSinceLastBackup',
        },
      },
      LoggingConfig: { LogGroup: { Ref: stack.getLogicalId(check.logGroup.node.defaultChild as any) } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(check.lambdaFunction.node.defaultChild as any), 'Arn'] } })],
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: Match.anyValue(), KmsKeyId: Match.anyValue() },
      DeletionPolicy: 'Retain',
    });
  });

  test('least privilege: its own role lists snapshots, reads this cluster, publishes to the backup namespace only, writes its logs', () => {
    const { template, cluster, stack } = render();
    const check = cluster.aws!.backupCheck!;
    const role = template.toJSON().Resources[stack.getLogicalId(check.role.node.defaultChild as any)];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policies = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter(p => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(check.role.node.defaultChild as any)));
    const statements = policies.flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'docdb-elastic:ListClusterSnapshots', Effect: 'Allow', Resource: '*' },
      { Action: 'docdb-elastic:GetCluster', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(cluster.aws!.cluster), 'ClusterArn'] } },
      { Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'CdkPortablePlatform/Backups' } }, Effect: 'Allow', Resource: '*' },
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(check.logGroup.node.defaultChild as any), 'Arn'] } },
    ]);
  });

  test('metricHoursSinceLastBackup(): the published metric, the worst of each hour', () => {
    const { cluster, stack } = render();
    const metric = cluster.metricHoursSinceLastBackup();
    expect([metric.namespace, metric.metricName, metric.statistic, metric.period.toHours()]).toEqual(['CdkPortablePlatform/Backups', 'HoursSinceLastBackup', 'Maximum', 1]);
    expect(stack.resolve(metric.dimensions)).toEqual({ ClusterName: 'orders-db' });
    expect(BACKUP_OVERDUE_HOURS).toBe(26);
  });

  test('conformance: no cdk-nag finding (IAM4, IAM5, L1 among them), cfn-lint clean, and moto creates the function, its invoke permission and schedule', () => {
    const { stack } = render();
    const report = expectAwsConformance([stack]);
    expect(report.nagFindings).toEqual([]);
    expect(report.cfnLintErrors).toEqual([]);
    // W3005 only: aws-cdk-lib's Function depends on its role (and the role's policy) beside referencing it.
    expect(report.cfnLintWarnings.filter(w => w.path.includes('BackupCheck')).map(w => w.ruleId)).toEqual(['W3005']);
    for (const result of report.moto) {
      expect(result.status).toBe('CREATE_COMPLETE');
      const notReal = [...result.unsupportedTypes, ...result.emulatedTypes];
      expect(notReal.filter(t => ['AWS::Lambda::Function', 'AWS::Lambda::Permission', 'AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::Logs::LogGroup'].includes(t))).toEqual([]);
    }
  });

  test('aws.backupAgeCheck: false renders no check, and the metric says why it has no data', () => {
    const { cluster, template } = render({ aws: { backupAgeCheck: false } });
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(cluster.aws!.backupCheck).toBeUndefined();
    expect(cluster._cloudWatchSource()!.backupAge).toBeUndefined();
    expect(() => cluster.metricHoursSinceLastBackup()).toThrow(
      'Platform/OrdersDb: aws.backupAgeCheck is off, so nothing publishes metricHoursSinceLastBackup() (got false): ' +
      'leave aws.backupAgeCheck unset (true) to have the hourly check publish the age of the newest snapshot');
  });

  test('on Kubernetes the backup records are Prometheus\'s: the CloudWatch metric is refused, saying so', () => {
    const chart = kubernetesChart();
    const cluster = new MongoShardedCluster(chart, 'OrdersDb', { backup: { retention: Duration.days(7) } });
    expect(() => cluster.metricHoursSinceLastBackup()).toThrow(/OrdersDb: metricHoursSinceLastBackup\(\) has no meaning on kubernetes: the backup records are in Prometheus/);
  });
});
