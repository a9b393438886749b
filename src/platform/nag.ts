import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag rule does not apply to a resource, in the metadata format cdk-nag reads,
 * so the library carries its own reasoned acknowledgements without depending on cdk-nag at run time.
 */
export function acknowledgeNagFinding(construct: IConstruct, ruleId: string, reason: string, appliesTo?: string[]): void {
  const resource = (CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild) as CfnResource | undefined;
  if (!resource) return;
  const existing = resource.getMetadata('cdk_nag') as { rules_to_suppress?: unknown[] } | undefined;
  const rules = existing?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...rules, { id: ruleId, reason, ...(appliesTo ? { applies_to: appliesTo } : {}) }],
  });
}
