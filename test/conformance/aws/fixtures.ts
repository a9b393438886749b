import { App, Stack } from 'aws-cdk-lib';
import { CONFORMANCE_CONTEXT, CONFORMANCE_ENV } from './index';

/** A stack in its own App, in the account/region the harness deploys to. */
export function testStack(id: string): Stack {
  const app = new App({ context: CONFORMANCE_CONTEXT });
  return new Stack(app, id, { env: CONFORMANCE_ENV });
}
