/**
 * The Percona Backup for MongoDB configuration, checked field by field against PBM's own config
 * structs, which PBM decodes strictly (`dec.SetStrict(true)` in `config.Parse`: an unknown field fails
 * `pbm config --file`). Fields and their YAML names, from percona/percona-backup-mongodb (v2.x, main):
 * - pbm/config/config.go: `Config` (name, profile, storage, pitr, backup, restore), `PITRConf`
 *   (enabled, oplogSpanMin, oplogOnly, priority, compression, compressionLevel), `StorageConf`
 *   (type, s3, minio, gcs, azure, filesystem, oss, oci);
 * - pbm/storage/storage.go: storage types "s3" and "filesystem";
 * - pbm/storage/s3/s3.go: `Config` (region, endpointUrl, endpointUrlMap, forcePathStyle, bucket, prefix,
 *   credentials, serverSideEncryption, uploadPartSize, maxUploadParts, storageClass, maxObjSizeGB,
 *   insecureSkipTLSVerify, debugLogLevels, retryer); static credentials only when both keys are set,
 *   else the AWS SDK's default chain (environment);
 * - pbm/storage/fs/fs.go: `Config` (path, maxObjSizeGB, backupBuffSize, restoreBuffSize);
 * - e2e-tests/docker/conf/fs.yaml and minio.yaml: the same shapes as PBM's own end-to-end tests use them.
 */
import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { pbmConfig, pbmConfigFile } from '../../src/mongo-sharded-cluster/pbm-config';
import { resolveMongoShardedClusterSpec } from '../../src/mongo-sharded-cluster/spec';
import { BackupTarget } from '../../src/platform/backup-target';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { findObject, kubernetesChart, manifestsOf } from '../util';

const FIELDS: Record<string, string[]> = {
  '': ['name', 'profile', 'storage', 'pitr', 'backup', 'restore'],
  'storage': ['type', 's3', 'minio', 'gcs', 'azure', 'filesystem', 'oss', 'oci'],
  'storage.s3': ['region', 'endpointUrl', 'endpointUrlMap', 'forcePathStyle', 'bucket', 'prefix', 'credentials', 'serverSideEncryption',
    'uploadPartSize', 'maxUploadParts', 'storageClass', 'maxObjSizeGB', 'insecureSkipTLSVerify', 'debugLogLevels', 'retryer'],
  'storage.filesystem': ['path', 'maxObjSizeGB', 'backupBuffSize', 'restoreBuffSize'],
  'pitr': ['enabled', 'oplogSpanMin', 'oplogOnly', 'priority', 'compression', 'compressionLevel'],
};
const STORAGE_TYPES = ['s3', 'filesystem'];

/** Every field path PBM would not know, as the strict decoder would report it. */
function unknownFields(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !(at in FIELDS)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
    const path = at ? `${at}.${key}` : key;
    return FIELDS[at].includes(key) ? unknownFields(inner, path) : [path];
  });
}

function strictlyValid(config: any): void {
  expect(unknownFields(config)).toEqual([]);
  expect(STORAGE_TYPES).toContain(config.storage.type);
  // PBM reads the section named by the type, and only that one.
  expect(Object.keys(config.storage).sort()).toEqual(['type', config.storage.type].sort());
  expect(typeof config.pitr.enabled).toBe('boolean');
  if (config.storage.type === 's3') expect(config.storage.s3.credentials).toBeUndefined();
}

describe('PBM configuration (pbm config --file)', () => {
  test('shared filesystem with point-in-time recovery: as PBM documents it', () => {
    const config = pbmConfig({ pointInTimeRecovery: true, oplogSpanMinutes: 10 });
    expect(config).toEqual({ storage: { type: 'filesystem', filesystem: { path: '/backups' } }, pitr: { enabled: true, oplogSpanMin: 10 } });
    strictlyValid(config);
  });

  test('S3-compatible bucket: region, bucket, prefix without its final slash, endpoint; no credentials in the file', () => {
    const config = pbmConfig({
      s3: { bucket: 'acme-backups', prefix: 'mongo/orders/', region: 'eu-west-1', endpoint: 'https://minio.storage.svc:9000' },
      pointInTimeRecovery: false,
      oplogSpanMinutes: 10,
    });
    expect(config).toEqual({
      storage: { type: 's3', s3: { region: 'eu-west-1', bucket: 'acme-backups', prefix: 'mongo/orders', endpointUrl: 'https://minio.storage.svc:9000' } },
      pitr: { enabled: false },
    });
    strictlyValid(config);
  });

  test('the file is YAML whose strings are data: any prefix or endpoint comes back as written (property)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 1440 }), (prefix, endpoint, span) => {
      const options = { s3: { bucket: 'b-1', prefix: `${prefix}x/`, region: 'us-east-1', endpoint }, pointInTimeRecovery: true, oplogSpanMinutes: span };
      const parsed = parse(pbmConfigFile(options));
      expect(parsed).toEqual(JSON.parse(JSON.stringify(pbmConfig(options))));
      strictlyValid(parsed);
    }));
  });

  test('what the construct renders: PITR on by default with a 10-minute span, the configured span, off when asked', () => {
    const rendered = (kubernetes: object) => {
      const chart = kubernetesChart();
      new MongoShardedCluster(chart, 'OrdersDb', { kubernetes });
      return parse(findObject(manifestsOf(chart), 'ConfigMap', 'orders-db-scripts').data['pbm-config.yaml']);
    };
    expect(rendered({}).pitr).toEqual({ enabled: true, oplogSpanMin: 10 });
    expect(rendered({ oplogSpan: Duration.minutes(5) }).pitr).toEqual({ enabled: true, oplogSpanMin: 5 });
    expect(rendered({ pointInTimeRecovery: false }).pitr).toEqual({ enabled: false });
    const s3 = rendered({ backupTarget: BackupTarget.s3({ bucket: 'acme', region: 'eu-central-1', accessKeyId: PlatformSecret.named('s3', 'id'), secretAccessKey: PlatformSecret.named('s3', 'key') }) });
    expect(s3.storage).toEqual({ type: 's3', s3: { region: 'eu-central-1', bucket: 'acme', prefix: 'orders-db' } });
    strictlyValid(s3);
  });

  test('the development profile turns point-in-time recovery off unless asked; production keeps it on', () => {
    expect(resolveMongoShardedClusterSpec('db', {}, PlatformProfile.DEVELOPMENT).kubernetes.pointInTimeRecovery).toBe(false);
    expect(resolveMongoShardedClusterSpec('db', { kubernetes: { pointInTimeRecovery: true } }, PlatformProfile.DEVELOPMENT).kubernetes.pointInTimeRecovery).toBe(true);
    expect(resolveMongoShardedClusterSpec('db', {}, PlatformProfile.PRODUCTION).kubernetes.pointInTimeRecovery).toBeUndefined();
  });
});
