import { IConstruct } from 'constructs';
import { PlatformValidationError } from './errors';

/**
 * A preset of defaults for every platform construct, picked once for a whole app, stack or chart.
 *
 * `PRODUCTION` (the default) keeps the highly available defaults. `DEVELOPMENT` is small: single
 * replicas, smaller sizes and volumes, shorter retention; where a production rule would reject a
 * reduced topology (one Sentinel, a one-member replica set) it allows it and emits a warning instead.
 * A profile only replaces the library's built-in defaults: the caller's props, and an organisation's
 * defaults from a subclass's `applyDefaults`, always win.
 *
 * The profile travels as construct context under `PlatformProfile.CONTEXT_KEY`, so it works the same
 * under an aws-cdk-lib `Stack` and a cdk8s `Chart`, and from `cdk.json` or `cdk synth -c`.
 */
export class PlatformProfile {
  /** Context key holding the profile's name (`production` or `development`). */
  public static readonly CONTEXT_KEY = 'cdk-portable-platform:profile';

  /** Highly available defaults: what every construct uses unless told otherwise. */
  public static readonly PRODUCTION = new PlatformProfile('production', false);

  /**
   * Small defaults for development and preview environments: single replicas (with warnings),
   * smaller sizes, one NAT gateway where the platform creates the VPC, shorter retention.
   */
  public static readonly DEVELOPMENT = new PlatformProfile('development', true);

  /** The profile called `name` (`production` or `development`). */
  public static fromName(name: string): PlatformProfile {
    const profile = PlatformProfile.ALL.find(p => p.name === name);
    if (!profile) {
      throw new PlatformValidationError(`profile ${JSON.stringify(name)} is unknown: use one of ${PlatformProfile.ALL.map(p => p.name).join(', ')}`);
    }
    return profile;
  }

  /**
   * The profile in effect at `scope`: the nearest `CONTEXT_KEY` context value, else PRODUCTION.
   */
  public static of(scope: IConstruct): PlatformProfile {
    const value: unknown = scope.node.tryGetContext(PlatformProfile.CONTEXT_KEY);
    if (value === undefined) return PlatformProfile.PRODUCTION;
    if (value instanceof PlatformProfile) return value;
    if (typeof value === 'string' && PlatformProfile.ALL.some(p => p.name === value)) return PlatformProfile.fromName(value);
    throw new PlatformValidationError(`${scope.node.path || '<root>'}: context ${PlatformProfile.CONTEXT_KEY} is not a profile ` +
      `(got ${JSON.stringify(value)}): use one of ${PlatformProfile.ALL.map(p => p.name).join(', ')}`);
  }

  private static get ALL(): PlatformProfile[] {
    return [PlatformProfile.PRODUCTION, PlatformProfile.DEVELOPMENT];
  }

  private constructor(
    /** `production` or `development`. */
    public readonly name: string,
    /**
     * Whether reduced topologies (single replicas, one Sentinel, one-member replica sets) are allowed,
     * with a warning, where production rejects them.
     */
    public readonly allowsReducedAvailability: boolean,
  ) {}

  /**
   * Makes this profile the one in effect for `scope` and everything created under it.
   *
   * Call it before adding any construct to `scope` (construct context cannot change once a scope has
   * children), e.g. right after creating the App, Stack or Chart.
   */
  public applyTo(scope: IConstruct): void {
    const children = scope.node.children;
    if (children.length > 0) {
      throw new PlatformValidationError(`${scope.node.path || '<root>'}: cannot apply the ${this.name} profile after constructs were added ` +
        `(got ${children.map(c => c.node.id).join(', ')}): call applyTo right after creating the scope, or set the context ` +
        `{ '${PlatformProfile.CONTEXT_KEY}': '${this.name}' } on the App`);
    }
    scope.node.setContext(PlatformProfile.CONTEXT_KEY, this.name);
  }

  /** The profile's name. */
  public toString(): string {
    return this.name;
  }
}
