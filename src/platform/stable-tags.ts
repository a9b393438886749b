import { CfnResource, IAspect } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PlatformTarget } from './target';

/**
 * Resource types whose L1 became taggable in aws-cdk-lib releases after the lowest version of our
 * peer range (2.257), so `Tags.of(...)` reaches them on some versions a user may install and not on
 * others. cfn-lint (1.51) rejects `Tags` on each of them (E3002). The platform keeps them untagged on
 * every version, so the same app gives the same, lint-clean template whichever aws-cdk-lib npm
 * resolved. None of them is billed on its own: cost allocation is unaffected.
 */
export const TYPES_KEPT_UNTAGGED: readonly string[] = [
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Dashboard',
  'AWS::ElasticLoadBalancingV2::Listener',
];

const UNTAGGED = new Set(TYPES_KEPT_UNTAGGED);

/**
 * Removes `Tags` from the platform's own resources of the types in `TYPES_KEPT_UNTAGGED`.
 *
 * Only resources inside a platform construct (one that rendered to AWS) or the shared
 * `AwsPlatform` are touched; a user's own resources in the same stack keep whatever they are given.
 */
export class KeepLateTaggableTypesUntagged implements IAspect {
  constructor(private readonly platformRoot: IConstruct) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || !UNTAGGED.has(node.cfnResourceType)) return;
    if (!this.ownedByPlatform(node)) return;
    // A deletion override is applied after tags render; it is a no-op where the L1 has no tags.
    node.addPropertyDeletionOverride('Tags');
  }

  private ownedByPlatform(node: IConstruct): boolean {
    // Every platform construct exposes the target it rendered to as `target`.
    return node.node.scopes.some(scope => scope === this.platformRoot || (scope as any).target === PlatformTarget.AWS);
  }
}
