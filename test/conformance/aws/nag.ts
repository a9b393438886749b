import { Aspects, Stack, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, WriteNagSuppressionsToCloudFormationAspect } from 'cdk-nag';

/** An unsuppressed AwsSolutions violation, or an acknowledgment without a proper reason. */
export interface NagFinding {
  readonly ruleId: string;
  readonly level: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
}

/** A `cdk_nag.rules_to_suppress` entry as written into a template's resource Metadata. */
export interface NagSuppression {
  readonly logicalId: string;
  readonly ruleId: string;
  readonly reason?: string;
}

/** cdk-nag 2.x refused shorter reasons; 3.x no longer checks, so we do. */
const MIN_REASON_LENGTH = 10;

/**
 * Runs the AwsSolutions pack on `stack` and returns every unsuppressed error
 * and warning, plus a finding for every acknowledgment whose reason is
 * missing or shorter than {@link MIN_REASON_LENGTH}.
 *
 * cdk-nag 3.x is a policy-validation plugin, not an Aspect: it reports no
 * annotations, and CDK's plugin hook (`validate`) does not hand it the
 * construct tree. So we call `validateScope` ourselves. Suppressions are
 * `Validations.of(construct).acknowledge({ id, reason })`.
 */
export function nagFindings(stack: Stack): NagFinding[] {
  // Synthesize first so every Aspect has run and the tree is final; this also
  // writes acknowledgments into the template as `cdk_nag` Metadata.
  synthWithSuppressions(stack);
  const report = new AwsSolutionsChecks().validateScope(stack);
  const findings: NagFinding[] = report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      ruleId: v.ruleName,
      level: v.severity === 'error' ? 'error' as const : 'warning' as const,
      path: r.constructPath ?? r.resourceLogicalId ?? '?',
      message: v.description,
    })),
  );
  return [...findings, ...badAcknowledgments(stack)];
}

/**
 * Synthesizes the stack's stage with acknowledgments copied into the
 * template, and returns the template. Forces a re-synthesis, because the
 * test may already have synthesized (e.g. `Template.fromStack`) before the
 * Aspect was added, and CDK would otherwise return the cached assembly.
 */
export function synthWithSuppressions(stack: Stack): any {
  if (!Aspects.of(stack).all.some((a) => a instanceof WriteNagSuppressionsToCloudFormationAspect)) {
    Aspects.of(stack).add(new WriteNagSuppressionsToCloudFormationAspect());
  }
  const stage = Stage.of(stack);
  if (!stage) throw new Error(`${stack.node.path} is not inside an App or Stage`);
  return stage.synth({ force: true }).getStackArtifact(stack.artifactId).template;
}

/** Every `cdk_nag` suppression recorded in a synthesized template (one per resource it applies to). */
export function nagSuppressions(template: any): NagSuppression[] {
  return Object.entries<any>(template?.Resources ?? {}).flatMap(([logicalId, resource]) =>
    (resource?.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule: any) => ({
      logicalId,
      ruleId: String(rule?.id),
      reason: typeof rule?.reason === 'string' ? rule.reason : undefined,
    })),
  );
}

function hasValidReason(reason: string | undefined): boolean {
  return (reason ?? '').trim().length >= MIN_REASON_LENGTH;
}

/** Acknowledgments made on the stack, inside it or above it, reported once where they were made. */
function badAcknowledgments(stack: Stack): NagFinding[] {
  const findings: NagFinding[] = [];
  for (const construct of [...stack.node.scopes.slice(0, -1), ...stack.node.findAll()]) {
    const seen = new Map<string, unknown>();
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        seen.set(id.replace(/^annotation::/i, ''), reason);
      }
    }
    for (const [ruleId, reason] of seen) {
      if (typeof reason === 'string' && hasValidReason(reason)) continue;
      findings.push({
        ruleId,
        level: 'error',
        path: construct.node.path,
        message: `acknowledgment of ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(reason ?? null)}`,
      });
    }
  }
  return findings;
}
