/**
 * What CloudFormation can do with DocumentDB Elastic, read from the resource schemas shipped with
 * cfn-lint (its us-east-1 provider schemas, `cfnlint.schema.manager.PROVIDER_SCHEMA_MANAGER`) and
 * aws-cdk-lib's generated L1 modules: the reasons MongoShardedCluster refuses per-service users on AWS
 * and documents the restore as a CLI procedure. When AWS adds either, these tests fail and the refusal
 * and the README must change.
 */
import { spawnSync } from 'child_process';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import { requireTool } from '../conformance/tools';

const PROBE = `
import json
from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER as m
schema = m.get_resource_schema('us-east-1', 'AWS::DocDBElastic::Cluster').schema
types = [t for t in m.get_resource_types('us-east-1') if t.startswith('AWS::DocDB')]
print(json.dumps({'properties': sorted(schema['properties']), 'types': sorted(types)}))
`;

describe('DocumentDB Elastic in CloudFormation', () => {
  const available = requireTool('python3 -c "import cfnlint"', 'pip install cfn-lint');
  const schema = available ? JSON.parse(spawnSync('python3', ['-c', PROBE], { encoding: 'utf-8', timeout: 60_000 }).stdout) : undefined;

  (available ? test : test.skip)('the cluster resource has no snapshot to restore from, and only the administrator', () => {
    expect(schema.properties).toEqual([
      'AdminUserName', 'AdminUserPassword', 'AuthType', 'BackupRetentionPeriod', 'ClusterArn', 'ClusterEndpoint', 'ClusterName', 'KmsKeyId',
      'PreferredBackupWindow', 'PreferredMaintenanceWindow', 'ShardCapacity', 'ShardCount', 'ShardInstanceCount', 'SubnetIds', 'Tags', 'VpcSecurityGroupIds',
    ]);
    expect(schema.properties.filter((p: string) => /snapshot|restore|user(?!name|password)/i.test(p))).toEqual([]);
  });

  (available ? test : test.skip)('no resource type creates DocumentDB database users', () => {
    expect(schema.types).toEqual([
      'AWS::DocDB::DBCluster', 'AWS::DocDB::DBClusterParameterGroup', 'AWS::DocDB::DBInstance', 'AWS::DocDB::DBSubnetGroup',
      'AWS::DocDB::EventSubscription', 'AWS::DocDB::GlobalCluster', 'AWS::DocDBElastic::Cluster',
    ]);
  });

  test('aws-cdk-lib agrees: no user resource (newer releases add an Elastic ClusterSnapshot, which creates, not restores)', () => {
    expect(Object.keys(docdbelastic)).toContain('CfnCluster');
    expect(Object.keys(docdbelastic).filter(k => /user/i.test(k))).toEqual([]);
    expect(Object.keys(docdb).filter(k => k.startsWith('Cfn')).filter(k => /user/i.test(k))).toEqual([]);
  });
});
