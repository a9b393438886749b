import { IConstruct } from 'constructs';
import { CacheConnectOptions, CacheUserSpec, cacheUserProblems, resolveCacheUser } from './access';
import { invalidPropMessage, PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { IPlatformClient } from '../platform/platform-client';

/** A client's user, and whether this is its first connection (then it must be wired). */
export interface CacheConnection {
  readonly user: CacheUserSpec;
  readonly isNew: boolean;
}

/**
 * The services connected to one cache. A service has one user: connecting it again with the same
 * options changes nothing; with other options, or another client under the same name, is refused,
 * because its environment and its user exist already.
 */
export class CacheConnections {
  private readonly byName = new Map<string, { client: IPlatformClient; user: CacheUserSpec }>();

  constructor(private readonly scope: IConstruct) {}

  /** Validates and records `client`'s user. */
  public connect(client: IPlatformClient, options: CacheConnectOptions = {}): CacheConnection {
    const user = resolveCacheUser(client.serviceName, options);
    throwIfInvalid(cacheUserProblems(this.scope, user));
    const existing = this.byName.get(user.userName);
    if (!existing) {
      this.byName.set(user.userName, { client, user });
      return { user, isNew: true };
    }
    if (existing.client !== client) {
      throw new PlatformValidationError(invalidPropMessage(this.scope, 'connect(client)', 'has the service name of a client connected already', user.userName,
        `${nodePath(existing.client)} is the cache user "${user.userName}": give each workload its own service name`));
    }
    if (existing.user.keyPrefix !== user.keyPrefix || existing.user.access !== user.access) {
      throw new PlatformValidationError(invalidPropMessage(this.scope, 'connect(options)', `differ from the first connect of ${user.userName}`,
        describe(user), `connect each service once, or again with the same options (${describe(existing.user)})`));
    }
    return { user: existing.user, isNew: false };
  }
}

function describe(user: CacheUserSpec): string {
  return `keyPrefix ${user.keyPrefix}, access ${user.access.accessName}`;
}

function nodePath(client: IPlatformClient): string {
  return (client as Partial<IConstruct>).node?.path ?? client.serviceName;
}
