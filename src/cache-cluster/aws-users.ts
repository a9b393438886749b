import { createHash } from 'crypto';
import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CacheUserSpec, cacheAccessString } from './access';
import { DEFAULT_USER_RULES } from './acl-users';
import { CacheClusterMode } from './engine';
import { CacheClusterSpec } from './spec';
import { AwsPlatform } from '../platform/aws-platform';
import { invalidPropMessage, PlatformValidationError } from '../platform/errors';
import { acknowledgeNagFinding } from '../platform/nag';
import { PlatformSecret } from '../platform/secret';

/** ElastiCache RBAC objects of a cache, created by its first `connect`. */
export interface CacheRbacResources {
  /** The user group attached to the replication group. */
  readonly userGroup: elasticache.CfnUserGroup;
  /** The `default` user: the AUTH token as its password, so `AUTH <token>` keeps working. */
  readonly defaultUser: elasticache.CfnUser;
  /** One user per connected service, by user name. */
  readonly users: { [userName: string]: elasticache.CfnUser };
  /** Each connected service's generated password, by user name. */
  readonly passwords: { [userName: string]: secretsmanager.ISecret };
}

/**
 * ElastiCache user ids are unique per account and Region: 1-40 characters, letters, digits and
 * single hyphens, starting with a letter, not ending with a hyphen. A long id keeps a readable
 * head and a hash of the whole.
 */
export function elastiCacheUserId(cacheName: string, userName: string): string {
  let id = `${cacheName}-${userName}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  if (!/^[a-z]/.test(id)) id = `u-${id}`;
  if (id.length > 40) id = `${id.slice(0, 31).replace(/-+$/, '')}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
  return id.replace(/-+$/, '');
}

/**
 * Turns AUTH-token authentication into RBAC on the first connected service, then adds one user per
 * service. The transition keeps every AUTH client working: the group's `default` user has the AUTH
 * token as its password (`AUTH <token>` is `AUTH default <token>`), so `redisPassword` still opens
 * the cache for the platform's own consumers (the gateway's rate-limit store, backups).
 */
export class CacheRbac {
  private resources?: { userGroup: elasticache.CfnUserGroup; defaultUser: elasticache.CfnUser };
  private readonly users: { [userName: string]: elasticache.CfnUser } = {};
  private readonly passwords: { [userName: string]: secretsmanager.ISecret } = {};

  constructor(
    private readonly scope: Construct,
    private readonly spec: CacheClusterSpec,
    private readonly replicationGroup: elasticache.CfnReplicationGroup,
    /** The AUTH token as a dynamic reference, or undefined with `aws.userGroupId`. */
    private readonly authToken: string | undefined,
  ) {}

  /** The RBAC objects, once a service is connected. */
  public get rbacResources(): CacheRbacResources | undefined {
    return this.resources && { ...this.resources, users: { ...this.users }, passwords: { ...this.passwords } };
  }

  /** The user of a connected service (created once) and its password reference. */
  public addUser(user: CacheUserSpec): PlatformSecret {
    const existing = this.passwords[user.userName];
    if (existing) return PlatformSecret.fromSecretsManager(existing);
    this.group();
    const scope = new Construct(this.scope, `User-${user.userName}`);
    const password = generatedPassword(scope, this.spec, `password of the cache user ${user.userName}`);
    this.users[user.userName] = new elasticache.CfnUser(scope, 'Resource', {
      userId: elastiCacheUserId(this.spec.name, user.userName),
      userName: user.userName,
      engine: 'redis',
      accessString: cacheAccessString(user, this.spec.mode === CacheClusterMode.CLUSTER),
      authenticationMode: { Type: 'password', Passwords: [password.secretValue.unsafeUnwrap()] },
    });
    this.passwords[user.userName] = password;
    return PlatformSecret.fromSecretsManager(password);
  }

  private group(): elasticache.CfnUserGroup {
    if (this.resources) return this.resources.userGroup;
    if (this.spec.aws.userGroupId || !this.authToken) {
      throw new PlatformValidationError(invalidPropMessage(this.scope, 'aws.userGroupId', 'is an RBAC user group managed outside this construct, so connect cannot add users to it',
        this.spec.aws.userGroupId, 'remove aws.userGroupId to let connect create the user group, or add the service\'s user to your group and pass its credentials with addSecret'));
    }
    const defaultUser = new elasticache.CfnUser(this.scope, 'DefaultUser', {
      userId: elastiCacheUserId(this.spec.name, 'default'),
      userName: 'default',
      engine: 'redis',
      accessString: DEFAULT_USER_RULES,
      authenticationMode: { Type: 'password', Passwords: [this.authToken] },
    });
    const userGroup = new elasticache.CfnUserGroup(this.scope, 'UserGroup', {
      userGroupId: elastiCacheUserId(this.spec.name, 'users'),
      engine: 'redis',
      userIds: Lazy.list({ produce: () => [defaultUser.ref, ...Object.keys(this.users).sort().map(name => this.users[name].ref)] }),
    });
    // The group replaces the AUTH token; its default user keeps the token's password.
    this.replicationGroup.authToken = undefined;
    this.replicationGroup.userGroupIds = [userGroup.ref];
    acknowledgeNagFinding(this.replicationGroup, 'AwsSolutions-AEC6',
      'Clients authenticate as RBAC users (one per connected service, least privilege); the default user keeps the former AUTH token');
    this.resources = { userGroup, defaultUser };
    return userGroup;
  }
}

/** A generated password meeting ElastiCache's password rules (16-128 printable characters). */
function generatedPassword(scope: Construct, spec: CacheClusterSpec, what: string): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'Password', {
    description: `${what} of cache ${spec.name} (${Stack.of(scope).stackName})`,
    encryptionKey: AwsPlatform.of(scope).encryptionKey,
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    // A retained cache keeps its users.
    removalPolicy: spec.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  acknowledgeNagFinding(secret, 'AwsSolutions-SMG4',
    'Secrets Manager has no hosted rotation for ElastiCache user passwords; rotate by adding a second password to the user (ModifyUser), then removing the first');
  return secret;
}
