import { EngineSandbox, freePort, infoFields, redisCli, waitFor, writeFile } from './engine-harness';
import { renderRedisConf } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

/*
 * Write availability of the generated redis.conf under real redis-server, against what the same
 * props give on AWS: ElastiCache has no min-replicas-to-write, so its primary keeps accepting
 * writes while replicas are down. On Kubernetes a primary may refuse writes only when that cannot
 * happen on AWS with a single failure: with two or more replicas, once every replica is gone.
 */
const describeEngines = requireTool('redis-server', 'apt-get install redis-server') ? describe : describe.skip;

const PASSWORD = 'availability-test-Password-789';

describeEngines('write availability on real redis-server', () => {
  const sandbox = new EngineSandbox();
  afterAll(() => sandbox.stop());

  /** A primary and `replicas` replicas from the generated redis.conf; returns their ports. */
  const start = async (name: string, replicas: number, profile: PlatformProfile) => {
    // Plain text (the development profile's default); TLS is proven in tls-engine.test.ts.
    const props = profile === PlatformProfile.DEVELOPMENT ? {} : { replicas, kubernetes: { tls: false } };
    const spec = resolveCacheClusterSpec(name, props, PlatformTarget.KUBERNETES, profile);
    expect(spec.replicas).toBe(replicas);
    const ports: number[] = [];
    for (let i = 0; i <= replicas; i++) ports.push(await freePort());
    ports.forEach((port, i) => {
      const dir = sandbox.subdir(`${name}-${i}`);
      const conf = renderRedisConf(spec, { port, dataDir: dir, bind: '127.0.0.1' }) +
        `requirepass ${PASSWORD}\nmasterauth ${PASSWORD}\n${i > 0 ? `replicaof 127.0.0.1 ${ports[0]}\n` : ''}`;
      sandbox.start(`${name}-${i}`, 'redis-server', [writeFile(dir, 'redis.conf', conf)]);
    });
    await waitFor(`${replicas} replicas acknowledging`, 15_000, () => {
      const r = infoFields(redisCli(ports[0], PASSWORD, ['INFO', 'replication']));
      return r.connected_slaves === String(replicas) && redisCli(ports[0], PASSWORD, ['SET', 'probe', '1']).trim() === 'OK' || undefined;
    }, () => sandbox.log(`${name}-0`));
    return ports;
  };
  const set = (port: number) => redisCli(port, PASSWORD, ['SET', 'order:1', 'paid']).trim();

  test('development profile (one replica): the primary keeps accepting writes while its only replica is down, as on AWS', async () => {
    const [primary] = await start('dev', 1, PlatformProfile.DEVELOPMENT);
    await sandbox.kill('dev-1');
    await waitFor('the primary to see its replica gone', 30_000, () => infoFields(redisCli(primary, PASSWORD, ['INFO', 'replication'])).connected_slaves === '0' || undefined);
    expect(set(primary)).toBe('OK');
  });

  test('two replicas: writes continue with one down; refused only when every replica is gone (a primary cut off from all of them)', async () => {
    const [primary] = await start('prod', 2, PlatformProfile.PRODUCTION);
    await sandbox.kill('prod-1');
    await waitFor('the primary to see one replica gone', 30_000, () => infoFields(redisCli(primary, PASSWORD, ['INFO', 'replication'])).connected_slaves === '1' || undefined);
    expect(set(primary)).toBe('OK');
    await sandbox.kill('prod-2');
    await waitFor('the primary to see both replicas gone', 30_000, () => infoFields(redisCli(primary, PASSWORD, ['INFO', 'replication'])).connected_slaves === '0' || undefined);
    expect(set(primary)).toMatch(/^NOREPLICAS/);
  });
});
