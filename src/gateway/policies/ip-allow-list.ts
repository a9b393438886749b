import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep, linkName } from './chain';
import { invalidPropMessage } from '../../platform/errors';
import { CIDR_HINT, isCidr } from '../../platform/grammar/cidr';
import { ipStrategy, TraefikTargetOptions } from '../traefik-target';

/** A route's allowed ranges: the gateway's (unless the route disables them) and the route's own, each once. */
export function resolveIpAllowList(gateway: readonly string[], route: readonly string[] | undefined, inherit: boolean): string[] {
  return inherit ? [...new Set([...gateway, ...route ?? []])] : [...route ?? []];
}

export function cidrProblems(scope: IConstruct, prop: string, ranges: string[]): string[] {
  return ranges.filter(r => !Token.isUnresolved(r) && !isCidr(r)).map(r =>
    invalidPropMessage(scope, prop, 'has an invalid address range', r, CIDR_HINT));
}

/** The Traefik `ipAllowList` middleware, judging the address the edge saw. */
export function ipAllowListMiddleware(sourceRange: string[], options: TraefikTargetOptions) {
  const strategy = ipStrategy(options);
  return { ipAllowList: { sourceRange, ...(strategy ? { ipStrategy: strategy } : {}) } };
}

export const ipAllowListLinks: ChainStep = (route, { spec, options }) => {
  if (route.ipAllowList.length === 0) return [];
  return [{ name: linkName(route, sameList(route.ipAllowList, spec.ipAllowList), 'ip-allow-list'), definition: () => ipAllowListMiddleware(route.ipAllowList, options) }];
};

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every(x => b.includes(x));
}
