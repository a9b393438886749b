import { ExternalSecretsResources } from './external-secrets';
import { GeneratorJobResources } from './generator-job';

/** The objects that provision owned credentials (`KubernetesPlatform.provisionedCredentials`). */
export interface CredentialProvisioningResources {
  /**
   * External Secrets objects (`CredentialProvisioning.externalSecrets`).
   *
   * @default none in other modes
   */
  readonly externalSecrets?: ExternalSecretsResources;
  /**
   * The generator Job and its RBAC and NetworkPolicy (`CredentialProvisioning.generatorJob`).
   *
   * @default none in other modes
   */
  readonly generatorJob?: GeneratorJobResources;
}
