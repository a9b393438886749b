import { CfnElement, NestedStack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The nested stack that holds one service.
 *
 * The CDK renders a nested stack's template twice: once while preparing, to hash it into the asset
 * name, and again to write it. Both renders see the same, finished construct tree, so this stack keeps
 * the first and writes exactly what it hashed. It renders again only if an element was added in
 * between (the CDK's second reference pass may add a parameter). At 200 services this saves about
 * 0.45 s of 4.3 s.
 */
export class ServiceStack extends NestedStack {
  private rendered?: { readonly elements: number; readonly template: unknown };
  private readonly allocatedLogicalIds = new Map<CfnElement, string>();

  /**
   * The CDK recomputes an element's logical ID (an MD5 of its path) each time the ID is resolved:
   * in every Ref to it and in each pass over the template. The path never changes, so once is enough.
   * Renames (`renameLogicalId`) still apply: the CDK applies them after this.
   */
  protected allocateLogicalId(element: CfnElement): string {
    let logicalId = this.allocatedLogicalIds.get(element);
    if (logicalId === undefined) {
      logicalId = super.allocateLogicalId(element);
      this.allocatedLogicalIds.set(element, logicalId);
    }
    return logicalId;
  }

  protected _toCloudFormation(): any {
    const elements = countCfnElements(this);
    if (this.rendered?.elements !== elements) {
      this.rendered = { elements, template: super._toCloudFormation() };
    }
    return this.rendered.template;
  }
}

/** The CloudFormation elements a stack renders itself: those below it, but not in a stack below it. */
function countCfnElements(stack: IConstruct): number {
  let count = 0;
  const visit = (node: IConstruct): void => {
    if (CfnElement.isCfnElement(node)) count++;
    for (const child of node.node.children) {
      if (!(child instanceof NestedStack)) visit(child);
    }
  };
  visit(stack);
  return count;
}
