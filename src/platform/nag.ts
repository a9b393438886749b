import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records why a cdk-nag rule does not apply to a construct (and everything under it), through the
 * CDK's own acknowledgement mechanism, which cdk-nag reads. The library carries its reasoned
 * acknowledgements without depending on cdk-nag at run time.
 *
 * @param ruleId e.g. `AwsSolutions-S1`, or a granular `AwsSolutions-IAM5[Action::s3:GetObject]` (the CDK
 *   refuses ids containing more than one `::`, so resource ARNs cannot be named)
 */
export function acknowledgeNagFinding(construct: IConstruct, ruleId: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: ruleId, reason });
}
