import { Stack } from 'aws-cdk-lib';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagFinding } from '../../platform/nag';

/**
 * Amazon Managed Grafana with IAM Identity Center sign-in, reading the Prometheus workspace,
 * CloudWatch and X-Ray through a customer-managed role limited to read actions.
 */
export function renderManagedGrafana(
  scope: Construct, platformName: string, workspaceArn: string,
): { workspace: grafana.CfnWorkspace; role: iam.Role } {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'GrafanaRole', {
    assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
    description: `Amazon Managed Grafana of the ${platformName} platform: read-only data sources`,
    inlinePolicies: {
      DataSources: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata', 'aps:DescribeWorkspace'],
            resources: [workspaceArn],
          }),
          new iam.PolicyStatement({ actions: ['aps:ListWorkspaces'], resources: ['*'] }),
          new iam.PolicyStatement({
            actions: [
              'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:ListMetrics',
              'cloudwatch:GetMetricData', 'cloudwatch:GetInsightRuleReport', 'logs:DescribeLogGroups', 'logs:GetLogGroupFields',
              'logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:GetLogEvents', 'tag:GetResources',
            ],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            actions: ['xray:BatchGetTraces', 'xray:GetTraceSummaries', 'xray:GetTraceGraph', 'xray:GetGroups', 'xray:GetTimeSeriesServiceStatistics',
              'xray:GetInsightSummaries', 'xray:GetInsight', 'xray:GetServiceGraph'],
            resources: ['*'],
          }),
        ],
      }),
    },
  });
  acknowledgeNagFinding(role, 'AwsSolutions-IAM5[Resource::*]',
    'CloudWatch, CloudWatch Logs Insights, tagging and X-Ray read actions used by Grafana data sources support no resource-level permissions; ' +
    'Prometheus queries are limited to the platform workspace');
  const workspace = new grafana.CfnWorkspace(scope, 'GrafanaWorkspace', {
    name: `${platformName}-observability`.slice(0, 255),
    description: `Dashboards of the ${platformName} platform`,
    accountAccessType: 'CURRENT_ACCOUNT',
    authenticationProviders: ['AWS_SSO'],
    permissionType: 'CUSTOMER_MANAGED',
    roleArn: role.roleArn,
    dataSources: ['PROMETHEUS', 'CLOUDWATCH', 'XRAY'],
  });
  return { workspace, role };
}
