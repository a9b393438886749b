import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CacheCluster, CacheClusterMode } from '../../src/cache-cluster';
import { renderClusterSetupScript } from '../../src/cache-cluster/cluster-setup-script';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformSecret } from '../../src/platform/secret';
import { requireSecrets, SECRET_RULE_FUNCTION } from '../../src/platform/secret-shell';
import { kubernetesChart, manifestsOf, objectsOfKind } from '../util';

/** Runs `script` with POSIX sh, `env` added to a PATH holding only the basic tools (no mongosh, no redis-cli). */
function sh(script: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-rule-'));
  try {
    fs.writeFileSync(path.join(dir, 'script.sh'), script);
    const result = spawnSync('sh', [path.join(dir, 'script.sh')], { env: { PATH: '/usr/bin:/bin', TMPDIR: dir, ...env }, encoding: 'utf8', timeout: 10_000 });
    return { status: result.status, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const FINAL_NEWLINE = /P?\w+ begins or ends with whitespace \(often the final newline of kubectl create secret --from-file\): recreate the Secret/;

describe('one rule for secrets in every generated script', () => {
  test.each([
    ['a plain value', 'p4ss', 0, ''],
    ['a final newline (kubectl create secret --from-file)', 'p4ss\n', 64, 'P begins or ends with whitespace'],
    ['a final CRLF', 'p4ss\r\n', 64, 'P begins or ends with whitespace'],
    ['a leading space', ' p4ss', 64, 'P begins or ends with whitespace'],
    ['an empty value', '', 64, 'P is empty or not set'],
    ['quotes and a $ inside (data, never code)', 'a\'b"c$(id)', 0, ''],
  ])('require_secret with %s', (_name, value, status, message) => {
    const result = sh(`${SECRET_RULE_FUNCTION}\n${requireSecrets(['P'])}\n`, { P: value });
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(message);
  });

  test('only shell variable names are accepted', () => {
    expect(() => requireSecrets(['P; rm -rf /'])).toThrow(/not a shell variable name/);
  });

  test('the backup script refuses a password with a final newline before it logs in (it used to trim it, user creation did not)', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'OrdersDb', {});
    const scripts = objectsOfKind(manifestsOf(chart), 'ConfigMap').find((c: any) => c.metadata.name === 'orders-db-scripts').data;
    for (const file of ['backup.sh', 'init.sh']) {
      const env = { MONGO_BACKUP_USER: 'backup', MONGO_BACKUP_PASSWORD: 'p4ss\n', MONGO_ADMIN_PASSWORD: 'a', MONGO_MONITOR_PASSWORD: 'm' };
      const refused = sh(scripts[file], env);
      expect({ file, status: refused.status }).toEqual({ file, status: 64 });
      expect(refused.stderr).toMatch(FINAL_NEWLINE);
      // With a clean password the script gets past the rule (and stops at the missing mongosh).
      const clean = sh(scripts[file], { ...env, MONGO_BACKUP_PASSWORD: 'p4ss' });
      expect(clean.stderr).not.toMatch(FINAL_NEWLINE);
    }
    const setup = sh(renderClusterSetupScript({ name: 'sessions', replicas: 1 } as any), { REDIS_NODES: 'a:6379', REDISCLI_AUTH: 'p4ss\n' });
    expect(setup.status).toBe(64);
  });

  test('every secret a Job or CronJob script receives goes through the rule', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'OrdersDb', {});
    new MongoShardedCluster(chart, 'LogsDb', {
      kubernetes: {
        backupTarget: BackupTarget.s3({
          bucket: 'acme-backups',
          egressCidr: '10.0.0.0/8',
          accessKeyId: PlatformSecret.named('s3', 'id'),
          secretAccessKey: PlatformSecret.named('s3', 'secret'),
        }),
      },
    });
    new CacheCluster(chart, 'Sessions', { mode: CacheClusterMode.CLUSTER });
    const manifests = manifestsOf(chart);
    const files: Record<string, string> = Object.assign({}, ...objectsOfKind(manifests, 'ConfigMap').map((c: any) => c.data ?? {}));
    const pods = [
      ...objectsOfKind(manifests, 'Job').map((j: any) => j.spec.template.spec),
      ...objectsOfKind(manifests, 'CronJob').map((c: any) => c.spec.jobTemplate.spec.template.spec),
    ];
    const unchecked: string[] = [];
    let checked = 0;
    for (const container of pods.flatMap((p: any) => [...p.initContainers ?? [], ...p.containers])) {
      const script = files[path.basename(container.command[container.command.length - 1])];
      expect(script).toBeDefined();
      for (const e of container.env ?? []) {
        if (!e.valueFrom?.secretKeyRef) continue;
        checked++;
        if (!new RegExp(`^require_secret .*\\b${e.name}\\b`, 'm').test(script)) unchecked.push(`${container.name}: ${e.name}`);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    expect(unchecked).toEqual([]);
  });
});
