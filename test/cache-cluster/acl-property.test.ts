import { spawnSync } from 'child_process';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { CLIENT_TIMEOUT_MS, EngineSandbox, freePort, redisCli, waitFor } from './engine-harness';
import { CacheAccess, cacheAccessString, cacheUserProblems, resolveCacheUser } from '../../src/cache-cluster/access';
import { renderAclUserLines } from '../../src/cache-cluster/acl-users';
import { ENGINE_TIMEOUT_MS, hostileString, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { requireTool } from '../conformance/tools';

/*
 * A service name and a key prefix become words of an ACL rule line (Kubernetes ACL file, ElastiCache
 * access string). Whatever they hold, either connect refuses them, or they stay one user name and one
 * key pattern: no extra rule, user or line, no wider key pattern.
 */
const scope = new Construct(undefined as any, 'Cache');
// Hostile strings, and strings near the edge of each grammar (so that many are accepted).
const hostileUser = fc.tuple(
  fc.oneof(hostileString, fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.constant('default')),
  fc.oneof(hostileString, fc.stringMatching(/^[A-Za-z0-9_.:/{}~%&#<>@!+-]{1,12}$/)),
  fc.boolean(), fc.boolean());

/** The rules every accepted user gets, apart from its key pattern. */
const rulesWithout = (access: CacheAccess, cluster: boolean) =>
  cacheAccessString({ userName: 'x', keyPrefix: 'x', access }, cluster).split(' ').filter(t => t !== '~x*');

describe('user names and key prefixes cannot inject ACL rules', () => {
  test('accepted values stay one user name and one literal key pattern', () => {
    fc.assert(fc.property(hostileUser, ([name, keyPrefix, readOnly, cluster]) => {
      const access = readOnly ? CacheAccess.READ_ONLY : CacheAccess.READ_WRITE;
      const user = resolveCacheUser(name, { keyPrefix, access });
      if (cacheUserProblems(scope, user).length > 0) return;
      const line = renderAclUserLines([user], cluster);
      expect(line.split('\n')).toEqual([expect.any(String), '']);
      const [userName, ...rules] = line.trim().split(' ');
      expect(userName).toBe(name);
      expect(rules.filter(r => r.startsWith('~') || r.startsWith('%') || r.startsWith('&'))).toEqual([`~${keyPrefix}*`]);
      // The pattern matches only keys that start with the prefix: no glob character before the final *.
      expect(keyPrefix).not.toMatch(/[*?[\]\\\s]/);
      expect(rules.filter(r => r !== `~${keyPrefix}*`)).toEqual(rulesWithout(access, cluster));
    }), PROPERTY_RUNS);
  });
});

const describeEngine = requireTool('redis-server', 'apt-get install redis-server') ? describe : describe.skip;

describeEngine('the same property under real redis-server ACL SETUSER', () => {
  const sandbox = new EngineSandbox();
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    sandbox.start('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', sandbox.dir]);
    await waitFor('redis to answer', 10_000, () => redisCli(port, '', ['PING']).trim() === 'PONG' ? true : undefined, () => sandbox.log('redis'));
  });
  afterAll(() => sandbox.stop());

  test('an accepted user gets exactly its prefix pattern, and no other user appears', () => {
    fc.assert(fc.property(hostileUser, ([name, keyPrefix, readOnly, cluster]) => {
      const user = resolveCacheUser(name, { keyPrefix, access: readOnly ? CacheAccess.READ_ONLY : CacheAccess.READ_WRITE });
      if (cacheUserProblems(scope, user).length > 0) return;
      const [userName, ...rules] = renderAclUserLines([user], cluster).trim().split(' ');
      const set = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ACL', 'SETUSER', userName, 'reset', ...rules], { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS });
      expect(set.stdout.trim()).toBe('OK');
      const keys = redisCli(port, '', ['ACL', 'GETUSER', userName]).split('\n');
      expect(keys[keys.indexOf('keys') + 1]).toBe(`~${keyPrefix}*`);
      expect(redisCli(port, '', ['ACL', 'USERS']).trim().split('\n').sort()).toEqual(['default', userName].sort());
      redisCli(port, '', ['ACL', 'DELUSER', userName]);
    }), PROPERTY_RUNS);
  }, ENGINE_TIMEOUT_MS);
});
