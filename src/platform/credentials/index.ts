export * from './credential-provisioning';
export * from './certificate-provisioning';
export { OwnedCertificate } from './owned-certificates';
export { ExternalSecretsResources } from './external-secrets';
export { GeneratorJobResources } from './generator-job';
export { CertificateProvisioningResources } from './cert-manager';
export * from './resources';
