import { Size } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep, linkName } from './chain';
import { integerInRange } from '../../platform/validation';

/** Largest request body when the gateway sets none. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = Size.mebibytes(10);

export function bodyLimitProblems(scope: IConstruct, prop: string, bytes: number | undefined): string[] {
  return integerInRange(scope, prop, bytes, 1, 4 * 1024 ** 3);
}

/** The Traefik `buffering` middleware (413 above the limit). */
export function bodyLimitMiddleware(maxRequestBodyBytes: number) {
  return { buffering: { maxRequestBodyBytes } };
}

export const bodyLimitLinks: ChainStep = (route, { spec }) => {
  const bytes = route.maxRequestBodyBytes;
  if (bytes === undefined) return [];
  return [{ name: linkName(route, bytes === spec.maxRequestBodyBytes, 'body-limit'), definition: () => bodyLimitMiddleware(bytes) }];
};
