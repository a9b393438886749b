import { Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PlatformValidationError } from './errors';

/**
 * Where a platform construct renders: decided by its scope, never by its class.
 */
export class PlatformTarget {
  /** Under an aws-cdk-lib `Stack`: CloudFormation resources. */
  public static readonly AWS = new PlatformTarget('aws');
  /** Under a cdk8s `Chart`: Kubernetes objects. */
  public static readonly KUBERNETES = new PlatformTarget('kubernetes');

  /**
   * The target of `scope`: the nearest enclosing `Stack` or `Chart`.
   *
   * Throws when the scope is under neither.
   */
  public static of(scope: IConstruct): PlatformTarget {
    for (const node of scope.node.scopes.slice().reverse()) {
      if (Stack.isStack(node)) return PlatformTarget.AWS;
      if (Chart.isChart(node)) return PlatformTarget.KUBERNETES;
    }
    throw new PlatformValidationError(
      `${scope.node.path || '<root>'}: is not inside an aws-cdk-lib Stack or a cdk8s Chart: ` +
      'create it under a Stack to render AWS resources, or under a Chart to render Kubernetes objects',
    );
  }

  private constructor(
    /** `aws` or `kubernetes`. */
    public readonly name: string,
  ) {}

  /** The target's name. */
  public toString(): string {
    return this.name;
  }
}
