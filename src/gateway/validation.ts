import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { bodyLimitProblems } from './policies/body-limit';
import { circuitBreakerProblems } from './policies/circuit-breaker';
import { corsMethodProblems, corsProblems } from './policies/cors';
import { cidrProblems } from './policies/ip-allow-list';
import { jwtProblems } from './policies/jwt';
import { middlewareProblems } from './policies/middleware-validation';
import { rateLimitProblems } from './policies/rate-limit';
import { retryProblems } from './policies/retry';
import { securityHeadersProblems } from './policies/security-headers';
import { GatewayAwsOptions, GatewayKubernetesOptions } from './props';
import { GatewaySpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { describeFargateSizes, isFargateSize } from '../platform/fargate-sizes';
import { IMAGE_REFERENCE_HINT, parseImageReference } from '../platform/grammar/image-reference';
import { DNS_SUBDOMAIN_HINT, isDnsSubdomain } from '../platform/grammar/kubernetes-names';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../platform/grammar/url';
import { isDnsLabel } from '../platform/names';
import { PlatformProfile } from '../platform/profile';
import { PlatformTarget } from '../platform/target';
import { annotationKeyProblems, integerInRange, isPinnedImage, numberAbove, Rule, runRules } from '../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Whether `value` is a lowercase DNS host name (a leading `*.` wildcard allowed). */
export function isHostName(value: string): boolean {
  return HOST_NAME.test(value.startsWith('*.') ? value.slice(2) : value);
}

const name: Rule<GatewaySpec> = (scope, s) => isDnsLabel(s.name) ? [] : [invalidPropMessage(scope, 'gatewayName',
  'is not a DNS label', s.name, 'use 1-63 lowercase letters, digits and "-", starting with a letter')];

const domain: Rule<GatewaySpec> = (scope, s) => s.domainName === undefined || Token.isUnresolved(s.domainName) || isHostName(s.domainName) ? []
  : [invalidPropMessage(scope, 'domainName', 'is not a host name', s.domainName, 'use a lowercase DNS name such as "api.example.com"')];

const image: Rule<GatewaySpec> = (scope, s) => Token.isUnresolved(s.image) || isPinnedImage(s.image) ? [] : !parseImageReference(s.image) ? [
  invalidPropMessage(scope, 'image', 'is not a valid image reference', s.image, IMAGE_REFERENCE_HINT),
] : [
  invalidPropMessage(scope, 'image', 'is not pinned', s.image, 'use an explicit Traefik v3 tag (traefik:v3.5.3) or a digest'),
];

const capacity: Rule<GatewaySpec> = (scope, s) => {
  const problems = [
    ...integerInRange(scope, 'minReplicas', s.minReplicas, 1, 1000),
    ...integerInRange(scope, 'maxReplicas', s.maxReplicas, 1, 1000),
    ...numberAbove(scope, 'targetCpuUtilization', s.targetCpuUtilization, 0, 100),
    ...numberAbove(scope, 'cpu', s.cpu, 0, 64),
    ...numberAbove(scope, 'memory', s.memoryMiB, 0, 512 * 1024),
  ];
  if (problems.length === 0 && s.minReplicas > s.maxReplicas) {
    problems.push(invalidPropMessage(scope, 'minReplicas', 'must not exceed maxReplicas', s.minReplicas, `set maxReplicas ≥ ${s.minReplicas}`));
  }
  return problems;
};

const jwt: Rule<GatewaySpec> = (scope, s) => s.jwt ? jwtProblems(scope, s.jwt) : [];

const policies: Rule<GatewaySpec> = (scope, s) => [
  ...(s.cors ? corsProblems(scope, s.cors) : []),
  ...(s.rateLimit ? rateLimitProblems(scope, 'rateLimit', s.rateLimit) : []),
  ...(s.circuitBreaker ? circuitBreakerProblems(scope, 'circuitBreaker', s.circuitBreaker) : []),
  ...(s.retry ? retryProblems(scope, 'retry', s.retry) : []),
  ...bodyLimitProblems(scope, 'maxRequestBodySize', s.maxRequestBodyBytes),
  ...cidrProblems(scope, 'ipAllowList', s.ipAllowList),
  ...middlewareProblems(scope, 'middlewares', s.middlewares),
  ...integerInRange(scope, 'requestTimeout', s.requestTimeoutSeconds, 1, 3600),
  ...securityHeadersProblems(scope, s.securityHeaders),
  ...corsMethodProblems(scope, s.cors),
  ...(s.tracing && !Token.isUnresolved(s.tracing.otlpEndpoint) && !isHttpUrl(s.tracing.otlpEndpoint)
    ? [invalidPropMessage(scope, 'tracing.otlpEndpoint', 'is not an http(s) URL', s.tracing.otlpEndpoint, 'e.g. "http://otel-collector:4318/v1/traces"')] : []),
  ...(s.tracing && !Token.isUnresolved(s.tracing.otlpEndpoint) && hasUserInfo(s.tracing.otlpEndpoint)
    ? [invalidPropMessage(scope, 'tracing.otlpEndpoint', 'carries credentials in its URL', '<redacted>', USERINFO_HINT)] : []),
  ...(s.tracing && !(s.tracing.sampleRate >= 0 && s.tracing.sampleRate <= 1)
    ? [invalidPropMessage(scope, 'tracing.sampleRate', 'is out of range', s.tracing.sampleRate, 'use a number from 0 to 1')] : []),
];

/** Every target-neutral problem with `spec`, plus the target's own. */
export function validateGateway(
  scope: IConstruct, spec: GatewaySpec, target: PlatformTarget, aws: GatewayAwsOptions = {}, kubernetes?: GatewayKubernetesOptions,
): string[] {
  const common = runRules(scope, spec, [name, domain, image, capacity, jwt, policies]);
  return [...common, ...(target === PlatformTarget.AWS ? awsProblems(scope, spec, aws) : kubernetesProblems(scope, spec, kubernetes))];
}

/** Reduced availability that the development profile allows, as warnings (production allows one replica silently). */
export function gatewayWarnings(spec: GatewaySpec, profile: PlatformProfile): ProfileWarning[] {
  return profile.allowsReducedAvailability && spec.minReplicas === 1 ? [reducedAvailabilityWarning('gateway', 'minReplicas', 1,
    'the platform has no entry point while its one Traefik replica restarts or its node fails', 'at least 2')] : [];
}

function awsProblems(scope: IConstruct, spec: GatewaySpec, aws: GatewayAwsOptions): string[] {
  const problems: string[] = [];
  if (!isFargateSize(spec.cpu, spec.memoryMiB)) {
    problems.push(invalidPropMessage(scope, 'cpu/memory', 'is not a Fargate size', `${spec.cpu} vCPU / ${spec.memoryMiB} MiB`, describeFargateSizes(spec.cpu)));
  }
  const arn = aws.certificate?.certificateArn;
  if (arn !== undefined && !Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:(acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+|iam::\d{12}:server-certificate\/\S+)$/.test(arn)) {
    problems.push(invalidPropMessage(scope, 'aws.certificate', 'is not a certificate ARN', arn,
      'pass an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>) or an IAM server certificate ARN: the HTTPS listener needs one'));
  }
  if (!aws.certificate && !aws.hostedZone) {
    problems.push(invalidPropMessage(scope, 'aws.certificate', 'is missing', undefined,
      'HTTPS is mandatory: pass aws.certificate (an ACM certificate), or aws.hostedZone with domainName to create one validated by DNS'));
  } else if (!aws.certificate && !spec.domainName) {
    problems.push(invalidPropMessage(scope, 'domainName', 'is missing', undefined, 'a certificate created through aws.hostedZone needs the domain name it is for'));
  }
  problems.push(...integerInRange(scope, 'aws.wafRequestsPerFiveMinutes', aws.wafRequestsPerFiveMinutes, 10, 2_000_000_000));
  return problems;
}

// `kubernetes` is optional in GatewayProps (AWS users leave it out) and callers in other languages
// may still omit `tls`, so both are checked here rather than trusted to the type.
function kubernetesProblems(scope: IConstruct, spec: GatewaySpec, kubernetes: GatewayKubernetesOptions | undefined): string[] {
  const problems: string[] = [];
  if (spec.jwt?.verifier.kind === 'load-balancer') {
    problems.push(invalidPropMessage(scope, 'jwt.verifier', 'is not supported on kubernetes', 'JwtVerifier.loadBalancer()',
      'the load balancer verifies tokens on aws only: use JwtVerifier.sidecar() or JwtVerifier.forwardAuth(url)'));
  }
  if (!kubernetes?.tls) {
    problems.push(invalidPropMessage(scope, 'kubernetes.tls', 'is missing', undefined,
      "HTTPS is mandatory: pass TlsSource.secret('<tls secret>') or TlsSource.certManager({ issuerName })"));
  } else if (kubernetes.tls.certManagerOptions && !spec.domainName) {
    problems.push(invalidPropMessage(scope, 'domainName', 'is missing', undefined, 'a cert-manager Certificate needs the domain name it is for'));
  }
  problems.push(...cidrProblems(scope, 'kubernetes.loadBalancerSourceRanges', kubernetes?.loadBalancerSourceRanges ?? []));
  problems.push(...annotationKeyProblems(scope, 'kubernetes.serviceAnnotations', kubernetes?.serviceAnnotations));
  const tlsSecret = kubernetes?.tls?.secretName;
  if (tlsSecret !== undefined && !Token.isUnresolved(tlsSecret) && !isDnsSubdomain(tlsSecret)) {
    problems.push(invalidPropMessage(scope, 'kubernetes.tls', 'has an invalid Secret name', tlsSecret, DNS_SUBDOMAIN_HINT));
  }
  return problems;
}
