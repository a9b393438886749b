import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../../platform/errors';
import { ObservabilitySpec } from '../spec';

const WORKSPACE_ARN = /^arn:aws[a-z-]*:aps:([a-z0-9-]+):(\d{12}):workspace\/(ws-[A-Za-z0-9-]+)$/;
const RULE_NAMESPACE = /^[0-9A-Za-z][-.0-9A-Z_a-z]*$/;

/** The Prometheus endpoint of a workspace, from its ARN (works with tokens: `Arn.split` becomes Fn::Split). */
export function workspaceEndpoint(stack: Stack, workspaceArn: string): string {
  const arn = Arn.split(workspaceArn, ArnFormat.SLASH_RESOURCE_NAME);
  return `https://aps-workspaces.${arn.region}.${stack.urlSuffix}/workspaces/${arn.resourceName}/`;
}

/** Name of the stack's rule groups namespace in a shared workspace: the platform's, at most 64 characters. */
export function ruleNamespaceName(platformName: string): string {
  return platformName.slice(0, 64);
}

/** Problems with `aws.prometheusWorkspace` and the rule namespace it receives. */
export function existingWorkspaceProblems(scope: IConstruct, spec: ObservabilitySpec, platformName: string): string[] {
  const workspace = spec.aws.workspace;
  if (!workspace) return [];
  const problems: string[] = [];
  const arn = workspace.workspaceArn;
  if (!Token.isUnresolved(arn)) {
    const match = WORKSPACE_ARN.exec(arn);
    const region = Stack.of(scope).region;
    if (!match) {
      problems.push(invalidPropMessage(scope, 'aws.prometheusWorkspace.workspaceArn', 'is not an Amazon Managed Service for Prometheus workspace ARN', arn,
        'use arn:aws:aps:<region>:<account>:workspace/ws-<id> (the workspace\'s "ARN" in the console or `aws amp describe-workspace`)'));
    } else if (!Token.isUnresolved(region) && match[1] !== region) {
      problems.push(invalidPropMessage(scope, 'aws.prometheusWorkspace.workspaceArn', `is in another region than the Stack (${region})`, arn,
        'use a workspace in the Stack\'s region: its rule groups namespace is created there'));
    }
  }
  const endpoint = workspace.prometheusEndpoint;
  if (endpoint !== undefined && !Token.isUnresolved(endpoint) && !/^https:\/\/[^\s/]+\/\S*\/$/.test(endpoint)) {
    problems.push(invalidPropMessage(scope, 'aws.prometheusWorkspace.prometheusEndpoint', 'is not the workspace\'s https endpoint ending in "/"', endpoint,
      'use the workspace\'s "Endpoint - query URL" without "api/v1/query", e.g. https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-…/, or leave it out to derive it from the ARN'));
  }
  if (!Token.isUnresolved(platformName) && !RULE_NAMESPACE.test(ruleNamespaceName(platformName))) {
    problems.push(invalidPropMessage(scope, 'platformName (rule groups namespace in aws.prometheusWorkspace)', 'cannot name a rule groups namespace', platformName,
      'use letters, digits, "-", "_" and ".", starting with a letter or digit'));
  }
  return problems;
}
