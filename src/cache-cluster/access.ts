import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../platform/errors';

/**
 * What a connected service may do with the keys under its prefix. It becomes the command rules of
 * its Redis ACL user (Kubernetes) or ElastiCache RBAC user (AWS); both targets read the same
 * access string ({@link cacheAccessString}).
 */
export class CacheAccess {
  /** Read commands (`@read`: GET, MGET, HGETALL, EXISTS, TTL…) on its keys; no writes, no scripts. */
  public static readonly READ_ONLY = new CacheAccess('read-only', ['+@read']);
  /**
   * Read and write commands (`@read`, `@write`), transactions (MULTI/EXEC/WATCH) and Lua scripts
   * (EVAL/EVALSHA, whose commands Redis checks against the same key rules). Functions are not
   * granted: FUNCTION DELETE/FLUSH would remove other services' libraries.
   */
  public static readonly READ_WRITE = new CacheAccess('read-write',
    ['+@read', '+@write', '+@transaction', '+eval', '+evalsha', '+eval_ro', '+evalsha_ro', '+script|load', '+script|exists', '-function']);

  private constructor(
    /** Name of the level, for messages and environment (`read-only`, `read-write`). */
    public readonly accessName: string,
    /** @internal */
    public readonly _commandRules: readonly string[],
  ) {}
}

/**
 * How a service connects to a CacheCluster (`connect`).
 */
export interface CacheConnectOptions {
  /**
   * The service's user may touch only keys starting with this prefix (Redis ACL key pattern
   * `~<prefix>*`). 1-100 characters: letters, digits and `_ . : / - { }` (no glob characters,
   * no whitespace). Braces let cluster-mode keys share a hash tag, e.g. `{orders}:`.
   *
   * @default `<serviceName>:`
   */
  readonly keyPrefix?: string;
  /**
   * What the service may do with its keys.
   *
   * @default CacheAccess.READ_WRITE
   */
  readonly access?: CacheAccess;
}

/** A connected service's user: the options with every default applied. */
export interface CacheUserSpec {
  /** Redis/ElastiCache user name: the service name. */
  readonly userName: string;
  readonly keyPrefix: string;
  readonly access: CacheAccess;
}

/**
 * User names a service may not take: `default` is the AUTH user the platform's own consumers keep.
 */
export const RESERVED_USER_NAMES: readonly string[] = ['default'];

const USER_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const KEY_PREFIX = /^[A-Za-z0-9_.:/{}-]{1,100}$/;

/** The options of `connect` with defaults applied (not validated: see {@link cacheUserProblems}). */
export function resolveCacheUser(serviceName: string, options: CacheConnectOptions = {}): CacheUserSpec {
  return {
    userName: serviceName,
    keyPrefix: options.keyPrefix ?? `${serviceName}:`,
    access: options.access ?? CacheAccess.READ_WRITE,
  };
}

/**
 * Problems with a user: its name and prefix become words of an ACL rule line, so they follow a
 * strict grammar (no whitespace, which separates rules; no glob character, which would widen the
 * key pattern; a DNS-label user name, never `default`).
 */
export function cacheUserProblems(scope: IConstruct, user: CacheUserSpec): string[] {
  const problems: string[] = [];
  if (!USER_NAME.test(user.userName) || RESERVED_USER_NAMES.includes(user.userName)) {
    problems.push(invalidPropMessage(scope, 'connect(client.serviceName)', 'is not a usable cache user name', user.userName,
      `a DNS label (1-63 lowercase letters, digits and "-", starting and ending alphanumeric) other than ${RESERVED_USER_NAMES.join(', ')}`));
  }
  if (!KEY_PREFIX.test(user.keyPrefix)) {
    problems.push(invalidPropMessage(scope, 'connect(options.keyPrefix)', 'is not a usable key prefix', user.keyPrefix,
      '1-100 letters, digits and "_ . : / - { }": no whitespace and no glob character (* ? [ ] \\)'));
  }
  return problems;
}

/**
 * Cluster clients discover the slot map; these read-only CLUSTER subcommands reveal no keys
 * (GETKEYSINSLOT, which would, is left out).
 */
const CLUSTER_DISCOVERY = ['+cluster|slots', '+cluster|shards', '+cluster|nodes', '+cluster|info', '+cluster|myid', '+cluster|keyslot'];

/**
 * The ACL rules of a connected service's user, without its password: the same string is a Redis
 * ACL (Kubernetes, after the password hash) and an ElastiCache RBAC access string (AWS), whose
 * grammar is Redis's without passwords and without `reset`. Rules apply left to right:
 *
 * - `~<prefix>*`: keys under the prefix only; `resetchannels`: no Pub/Sub channel;
 * - `-@all`, then connection commands (AUTH, HELLO, PING, SELECT, CLIENT SETNAME…) and the level's
 *   commands, plus slot discovery in cluster mode;
 * - then, whatever the level: `-@dangerous` (CONFIG, FLUSHALL, FLUSHDB, KEYS, ACL SETUSER, DEBUG,
 *   MONITOR, CLIENT KILL/LIST, INFO, SHUTDOWN…), and `-scan`, `-randomkey`, `-dbsize`: they take no
 *   key, so no key pattern limits them, and they would show other services' key names or counts.
 */
export function cacheAccessString(user: CacheUserSpec, clusterMode: boolean): string {
  return [
    'on',
    `~${user.keyPrefix}*`,
    'resetchannels',
    '-@all',
    '+@connection',
    '+select',
    ...user.access._commandRules,
    ...(clusterMode ? CLUSTER_DISCOVERY : []),
    '-@dangerous',
    '-keys',
    '-scan',
    '-randomkey',
    '-dbsize',
  ].join(' ');
}
