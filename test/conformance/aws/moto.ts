import { spawnSync } from 'child_process';
import * as path from 'path';

export interface MotoResult {
  readonly template: string;
  readonly stackName: string;
  /** TemplateURL (from a mock S3 bucket) above CreateStack's 51,200-byte TemplateBody limit. */
  readonly templateSource: 'TemplateBody' | 'TemplateURL';
  /** Terminal stack status; CREATE_FAILED when moto's create_stack raised (moto has no rollback). */
  readonly status: string;
  readonly statusReason: string | null;
  readonly resourcesCreated: number;
  readonly resourcesInTemplate: number;
  /** Types moto's CloudFormation parser skips: nothing is created, Ref gives null, Fn::GetAtt fails. */
  readonly unsupportedTypes: string[];
  /** Types moto lacks that a stand-in answered for (moto_stand_ins.py): only required properties checked. */
  readonly emulatedTypes: string[];
  /** moto's own warnings while deploying, e.g. an Fn::GetAtt attribute it does not implement. */
  readonly warnings: string[];
}

export const MOTO_SCRIPT = path.join(__dirname, 'moto_deploy.py');

/** A file asset (e.g. a nested stack template) that `cdk deploy` would have published to S3 first. */
export interface PublishedAsset {
  readonly bucket: string;
  readonly key: string;
  readonly file: string;
}

/**
 * Creates one stack per template in moto's in-process mock (us-east-1,
 * account 123456789012), all in ONE python3 process: importing moto costs
 * about a second, a stack a few milliseconds.
 */
export function deployToMoto(templatePaths: string[], assets: readonly PublishedAsset[] = []): MotoResult[] {
  if (templatePaths.length === 0) return [];
  const run = spawnSync('python3', [MOTO_SCRIPT, ...templatePaths], {
    env: { ...process.env, MOTO_PUBLISHED_ASSETS: JSON.stringify(assets) },
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  if (run.error || run.status !== 0) {
    throw new Error(`moto_deploy.py failed (exit ${run.status}): ${run.error?.message ?? ''}${run.stderr}`.trim());
  }
  return JSON.parse(run.stdout) as MotoResult[];
}
