/**
 * `ts-node --transpile-only --project bench/tsconfig.json bench/cache-proxy.ts [requests]`:
 * the throughput cost of the CacheCluster primary proxy on Kubernetes. A primary and two replicas
 * (the generated redis.conf) and HAProxy (the generated haproxy.cfg and gate script) on loopback;
 * the same `redis-benchmark` run against the primary directly and through the proxy, alternately,
 * three times each; the best of each is kept and their ratio printed. A one-off measurement for
 * the README, not a test: it needs redis-server, redis-benchmark and haproxy.
 */
import { spawnSync } from 'child_process';
import { renderHaproxyConfig } from '../src/cache-cluster/haproxy-config';
import { renderProxyGateScript } from '../src/cache-cluster/proxy-gate';
import { renderRedisConf } from '../src/cache-cluster/redis-config';
import { resolveCacheClusterSpec } from '../src/cache-cluster/spec';
import { PlatformTarget } from '../src/platform/target';
import { EngineSandbox, freePort, infoFields, redisCli, waitFor, writeFile } from '../test/cache-cluster/engine-harness';

const PASSWORD = 'bench-Password-123';
const requests = Number(process.argv[2] ?? 100_000);
const TESTS = 'set,get';
const CLIENTS = 50;

/** requests per second of each test, e.g. { SET: 52000, GET: 61000 }. */
function benchmark(port: number, pipeline: number): Record<string, number> {
  const run = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-a', PASSWORD, '-t', TESTS,
    '-n', String(requests), '-c', String(CLIENTS), '-P', String(pipeline), '--csv'], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  const rows = run.stdout.trim().split('\n').slice(1).map(l => l.split(',').map(f => f.replace(/"/g, '')));
  return Object.fromEntries(rows.map(r => [r[0], Number(r[1])]));
}

async function main(): Promise<void> {
  const sandbox = new EngineSandbox();
  try {
    const spec = resolveCacheClusterSpec('bench', { replicas: 2 }, PlatformTarget.KUBERNETES);
    const ports = [await freePort(), await freePort(), await freePort()];
    ports.forEach((port, i) => {
      const dir = sandbox.subdir(`redis-${i}`);
      const conf = renderRedisConf(spec, { port, dataDir: dir, bind: '127.0.0.1' }) +
        `requirepass ${PASSWORD}\nmasterauth ${PASSWORD}\n${i > 0 ? `replicaof 127.0.0.1 ${ports[0]}\n` : ''}`;
      sandbox.start(`redis-${i}`, 'redis-server', [writeFile(dir, 'redis.conf', conf)]);
    });
    await waitFor('two replicas', 15_000, () => infoFields(redisCli(ports[0], PASSWORD, ['INFO', 'replication'])).connected_slaves === '2' || undefined);
    const [proxyPort, healthPort] = [await freePort(), await freePort()];
    const dir = sandbox.subdir('haproxy');
    const gateScript = writeFile(dir, 'primary-gate.lua', renderProxyGateScript(spec));
    const servers = ports.map((p, i) => ({ name: `bench-${i}`, address: `127.0.0.1:${p}` }));
    const config = renderHaproxyConfig(spec, servers, { port: proxyPort, healthPort, dnsResolution: false, bindAddress: '127.0.0.1', gateScript });
    sandbox.start('haproxy', 'haproxy', ['-db', '-f', writeFile(dir, 'haproxy.cfg', config)], { REDIS_PASSWORD: PASSWORD });
    await waitFor('the proxy to route to the primary', 10_000, () => infoFields(redisCli(proxyPort, PASSWORD, ['INFO', 'replication'])).role === 'master' || undefined);

    for (const pipeline of [1, 16]) {
      const best = { direct: {} as Record<string, number>, proxy: {} as Record<string, number> };
      for (let i = 0; i < 3; i++) {
        for (const [way, port] of [['direct', ports[0]], ['proxy', proxyPort]] as const) {
          for (const [test, rps] of Object.entries(benchmark(port, pipeline))) best[way][test] = Math.max(best[way][test] ?? 0, rps);
        }
      }
      for (const test of Object.keys(best.direct)) {
        const ratio = best.proxy[test] / best.direct[test];
        console.log(`${test} -P ${pipeline}: direct ${Math.round(best.direct[test])} req/s, through the proxy ${Math.round(best.proxy[test])} req/s, ratio ${ratio.toFixed(2)}`);
      }
    }
  } finally {
    await sandbox.stop();
  }
}

void main();
