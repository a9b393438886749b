import { Duration } from 'aws-cdk-lib';
import { PlatformSecret } from '../../platform/secret';

/** A log destination as the renderers read it (not part of the public API). */
export interface LogDestinationConfig {
  readonly kind: 'platform' | 'otlp' | 'elasticsearch' | 'opensearch';
  readonly url?: string;
  readonly retention?: Duration;
  readonly authorizationSecret?: PlatformSecret;
  readonly credentials?: { readonly username: string; readonly passwordSecret: PlatformSecret };
  readonly index?: string;
  readonly dataset?: string;
  readonly namespace?: string;
}
