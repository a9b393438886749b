import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { CacheClusterMode, EvictionPolicy } from '../../src/cache-cluster/engine';
import { renderHaproxyConfig } from '../../src/cache-cluster/haproxy-config';
import { renderProxyGateScript } from '../../src/cache-cluster/proxy-gate';
import { renderRedisConf, renderSentinelConf, renderSentinelPrimaryOptions } from '../../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../../src/cache-cluster/spec';
import {
  refreshPeerAddresses, renderRedisPreStopScript, renderRedisStartScript, renderSentinelStartScript,
} from '../../src/cache-cluster/start-scripts';
import { parseDailyWindow, parseWeeklyWindow, weeklyOverlapsDaily } from '../../src/cache-cluster/windows';
import { PlatformTarget } from '../../src/platform/target';
import { requireTool } from '../conformance/tools';

const replication = resolveCacheClusterSpec('sessions', {}, PlatformTarget.KUBERNETES);
const cluster = resolveCacheClusterSpec('catalog', { mode: CacheClusterMode.CLUSTER, replicas: 1 }, PlatformTarget.KUBERNETES);

function withFile<T>(name: string, text: string, use: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-config-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return use(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('generated configuration (pure functions)', () => {
  test('are pure: the same spec gives the same text', () => {
    expect(renderRedisConf(replication)).toBe(renderRedisConf(resolveCacheClusterSpec('sessions', {}, PlatformTarget.KUBERNETES)));
    expect(renderClusterSetupScript(cluster)).toBe(renderClusterSetupScript(resolveCacheClusterSpec('catalog', { mode: CacheClusterMode.CLUSTER, replicas: 1 }, PlatformTarget.KUBERNETES)));
  });

  test('redis.conf: persistence, eviction, write safety; cluster settings only in cluster mode; layout overrides', () => {
    const conf = renderRedisConf(resolveCacheClusterSpec('s', { evictionPolicy: EvictionPolicy.NO_EVICTION, kubernetes: { tls: false } }, PlatformTarget.KUBERNETES),
      { port: 7000, dataDir: '/tmp/x', bind: '127.0.0.1' });
    expect(conf).toContain('bind 127.0.0.1\nport 7000\ndir /tmp/x\n');
    expect(conf).toContain('maxmemory-policy noeviction');
    expect(conf).not.toContain('cluster-enabled');
    expect(conf).not.toMatch(/requirepass|masterauth/);
    expect(renderRedisConf(cluster)).toContain('cluster-enabled yes');
    // A single failure never stops writes, as on AWS: one replica is required only when there are two or more.
    const withReplicas = (replicas: number) => renderRedisConf(resolveCacheClusterSpec('s', { replicas, automaticFailover: replicas > 0 }, PlatformTarget.KUBERNETES));
    expect(withReplicas(0)).toContain('min-replicas-to-write 0');
    expect(withReplicas(1)).toContain('min-replicas-to-write 0');
    expect(withReplicas(2)).toContain('min-replicas-to-write 1');
    expect(withReplicas(5)).toContain('min-replicas-to-write 1');
  });

  test('sentinel.conf: hostnames (pods change IP), then the per-primary options after the monitor line', () => {
    expect(renderSentinelConf(replication)).toContain('port 0\ntls-port 26379\n');
    expect(renderSentinelConf(replication)).toContain('tls-replication yes\ndir /run/cache\n');
    expect(renderSentinelConf(replication)).toContain('sentinel resolve-hostnames yes\nsentinel announce-hostnames yes');
    expect(renderSentinelPrimaryOptions(replication)).toBe(
      'sentinel down-after-milliseconds sessions 5000\nsentinel failover-timeout sessions 30000\nsentinel parallel-syncs sessions 1\n');
  });

  test('every script is valid POSIX sh', () => {
    const scripts = {
      'start-redis.sh': renderRedisStartScript(replication),
      'start-redis-cluster.sh': renderRedisStartScript(cluster),
      'start-sentinel.sh': renderSentinelStartScript(replication),
      'prestop-redis.sh': renderRedisPreStopScript(replication),
      'cluster-setup.sh': renderClusterSetupScript(cluster),
    };
    for (const [name, text] of Object.entries(scripts)) {
      const run = withFile(name, text, file => spawnSync('sh', ['-n', file], { encoding: 'utf8' }));
      expect({ name, status: run.status, stderr: run.stderr }).toEqual({ name, status: 0, stderr: '' });
    }
  });

  test('the start scripts refuse a password that would break redis.conf or the proxy health check', () => {
    for (const password of ['has space', 'quote"d', 'slash/ed', 'at@sign']) {
      const run = withFile('start.sh', renderRedisStartScript(replication), file => spawnSync('sh', [file], {
        encoding: 'utf8', env: { PATH: process.env.PATH, SELF_HOST: 'x', REDIS_NODES: 'x:1', REDIS_PASSWORD: password },
      }));
      expect([password, run.status, run.stderr.trim()]).toEqual([password, 64, 'REDIS_PASSWORD must be printable ASCII without whitespace, quotes, /, @ or \\']);
    }
  });

  test('nodes.conf: peers get their current IP from their hostname; other lines are kept', () => {
    const conf = [
      'a1 10.0.0.5:6379@16379,localhost myself,master - 0 0 1 connected 0-5460',
      'b2 10.0.0.6:6379@16379 slave a1 0 0 1 connected',
      'c3 10.0.0.7:6379@16379,no-such-host.invalid master - 0 0 2 connected 5461-16383',
      'vars currentEpoch 2 lastVoteEpoch 0',
      '',
    ].join('\n');
    const refreshed = withFile('nodes.conf', conf, (file, dir) => {
      const script = path.join(dir, 'refresh.sh');
      fs.writeFileSync(script, `${refreshPeerAddresses()}\nrefresh_peer_addresses "$1"\n`);
      expect(spawnSync('sh', [script, file]).status).toBe(0);
      return fs.readFileSync(file, 'utf8').split('\n');
    });
    expect(refreshed[0]).toBe('a1 127.0.0.1:6379@16379,localhost myself,master - 0 0 1 connected 0-5460');
    expect(refreshed.slice(1)).toEqual(conf.split('\n').slice(1));
  });

  test('windows: format, length and overlap', () => {
    expect(parseDailyWindow('23:30-00:30')).toEqual({ start: 1410, end: 1470 });
    expect(parseDailyWindow('3:00-4:00')).toBeUndefined();
    expect(parseWeeklyWindow('sat:23:00-sun:01:00')).toEqual({ start: 10020, end: 10140 });
    expect(weeklyOverlapsDaily(parseWeeklyWindow('sun:04:00-sun:05:30')!, parseDailyWindow('03:00-05:00')!)).toBe(true);
    expect(weeklyOverlapsDaily(parseWeeklyWindow('sun:05:30-sun:07:30')!, parseDailyWindow('03:00-05:00')!)).toBe(false);
    expect(weeklyOverlapsDaily(parseWeeklyWindow('sat:23:30-sun:00:30')!, parseDailyWindow('00:00-01:00')!)).toBe(true);
  });
});

const describeHaproxy = requireTool('haproxy -v', 'apt-get install haproxy') ? describe : describe.skip;

/** `haproxy -c` over the config, with the gate script beside it. */
function haproxyCheck(cfg: (gateScript: string, caFile: string) => string) {
  return withFile('primary-gate.lua', renderProxyGateScript(replication), (gateScript, dir) => {
    const file = path.join(dir, 'haproxy.cfg');
    // The health checks verify the nodes with the CA: haproxy -c loads it, so it must be a real one.
    const caFile = path.join(dir, 'ca.crt');
    spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', caFile, '-days', '1', '-subj', '/CN=ca'], { timeout: 30_000 });
    fs.writeFileSync(file, cfg(gateScript, caFile));
    return spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', env: { ...process.env, REDIS_PASSWORD: 'checked-by-haproxy' } });
  });
}

describeHaproxy('haproxy.cfg checked by haproxy -c', () => {
  test('the Kubernetes config (DNS-resolved pods) and its gate script are valid', () => {
    const servers = [0, 1, 2].map(i => ({ name: `sessions-${i}`, address: `sessions-${i}.sessions-nodes.shop.svc.cluster.local:6379` }));
    const cfg = renderHaproxyConfig(replication, servers);
    expect(cfg).toContain('resolvers cluster\n  parse-resolv-conf');
    expect(cfg).toContain('lua-load /etc/cache/primary-gate.lua');
    expect(cfg).not.toMatch(/AUTH [^$]/);
    const run = haproxyCheck((gateScript, caFile) => renderHaproxyConfig(replication, servers, { gateScript, caFile }));
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: expect.stringContaining('Configuration file is valid') });
    expect(run.stdout + run.stderr).not.toContain('WARNING');
  });

  test('an unknown directive, or a broken gate script, is rejected (the check is real)', () => {
    expect(haproxyCheck((gateScript, caFile) => `${renderHaproxyConfig(replication, [], { gateScript, caFile })}\nbackend broken\n  no-such-directive on\n`).status).not.toBe(0);
    expect(haproxyCheck((gateScript, caFile) => {
      fs.appendFileSync(gateScript, '\nthis is not lua\n');
      return renderHaproxyConfig(replication, [], { gateScript, caFile });
    }).status).not.toBe(0);
    // Nor does a missing CA file pass: the TLS checks really load it.
    expect(haproxyCheck(gateScript => renderHaproxyConfig(replication, [], { gateScript, caFile: '/nonexistent/ca.crt' })).status).not.toBe(0);
  });
});
