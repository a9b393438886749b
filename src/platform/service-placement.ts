/**
 * Where a ServiceCluster's AWS resources live.
 *
 * CloudFormation allows 500 resources per template and a service renders about seventeen, so a
 * platform of more than a couple of dozen services cannot fit in one template.
 */
export class ServicePlacement {
  /**
   * Each service in a nested stack of its own, under the service construct: any number of services
   * fit (the parent holds one resource per service), a service never moves when others are added
   * or removed, and `Tags.of(service)` and Aspects still reach every resource.
   */
  public static readonly NESTED_STACK_PER_SERVICE = new ServicePlacement('nested-stack-per-service');

  /**
   * In the stack of the service's scope: one template, and at most about 25 services per stack.
   * Choose it before the first deployment: switching moves every service's resources.
   */
  public static readonly SAME_STACK = new ServicePlacement('same-stack');

  private constructor(
    /** `nested-stack-per-service` or `same-stack`. */
    public readonly name: string,
  ) {}
}
