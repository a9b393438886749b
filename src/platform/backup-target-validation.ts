import { Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BackupTarget } from './backup-target';
import { invalidPropMessage } from './errors';
import { CIDR_HINT, isCidr } from './grammar/cidr';
import { isDnsSubdomain } from './grammar/kubernetes-names';

/** S3 bucket names: 3-63 lowercase letters, digits, "." and "-", starting and ending with a letter or digit. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Every problem of a BackupTarget given as `prop` (e.g. `kubernetes.backup.target`). */
export function backupTargetProblems(scope: IConstruct, prop: string, target: BackupTarget | undefined): string[] {
  if (!target) return [];
  const problems: string[] = [];
  const size = (name: string, value: Size | undefined) => {
    if (value === undefined) return;
    const gib = value.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(gib) || gib < 1) problems.push(invalidPropMessage(scope, `${prop}.${name}`, 'is not a valid volume size', `${gib} GiB`, 'use whole gibibytes, at least 1'));
  };
  const volume = target.volumeOptions;
  if (volume) {
    size('size', volume.size);
    if (volume.storageClass !== undefined && !isDnsSubdomain(volume.storageClass)) {
      problems.push(invalidPropMessage(scope, `${prop}.storageClass`, 'is not a StorageClass name', volume.storageClass, 'use a lowercase DNS subdomain, e.g. "gp3"'));
    }
  }
  const s3 = target.s3Options;
  if (s3) {
    size('scratchSize', s3.scratchSize);
    if (!BUCKET_NAME.test(s3.bucket)) problems.push(invalidPropMessage(scope, `${prop}.bucket`, 'is not a bucket name', s3.bucket, 'use 3-63 lowercase letters, digits, "." and "-"'));
    if (s3.endpoint !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(s3.endpoint)) {
      problems.push(invalidPropMessage(scope, `${prop}.endpoint`, 'is not an endpoint URL', s3.endpoint, 'use scheme://host[:port], e.g. "https://minio.storage.svc:9000"'));
    }
    if (s3.prefix !== undefined && !/^([A-Za-z0-9!_.*'()-]+\/)*$/.test(s3.prefix)) {
      problems.push(invalidPropMessage(scope, `${prop}.prefix`, 'is not a key prefix', s3.prefix, 'use path segments each ending with "/", e.g. "redis/sessions/"'));
    }
    if (s3.egressCidr !== undefined && !isCidr(s3.egressCidr)) {
      problems.push(invalidPropMessage(scope, `${prop}.egressCidr`, 'is not a CIDR block', s3.egressCidr, CIDR_HINT));
    }
    if (s3.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(s3.region)) {
      problems.push(invalidPropMessage(scope, `${prop}.region`, 'is not an AWS region', s3.region, 'use a region name, e.g. "eu-west-1"'));
    }
  }
  return problems;
}
