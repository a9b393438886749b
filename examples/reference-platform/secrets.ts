import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KubernetesPlatform } from '../../src/platform/kubernetes-platform';
import { OwnedCredential } from '../../src/platform/owned-credentials';

/** The shell command that prints a new value of a credential's format. */
function generateCommand(credential: OwnedCredential): string {
  const { encoding, randomBytes } = credential.format;
  return encoding === 'hex' ? `openssl rand -hex ${randomBytes}` : `openssl rand -base64 ${randomBytes} | tr -d '\\n'`;
}

/**
 * The `kubectl` commands that create, by hand, every Secret the platform of `scope`'s Chart reads:
 * the credentials its constructs own (from `ownedCredentials`, each value generated in its format),
 * the TLS Secrets they read (from `ownedCertificates`) and the secrets you supply that it maps
 * (External Secrets `remoteSecrets`). What `CredentialProvisioning.manual()` and
 * `CertificateProvisioning.manual()` leave to you. Call it after synthesis.
 *
 * @param listDnsNames list each certificate's DNS names (else their count)
 */
export function manualSecretCommands(scope: Construct, listDnsNames = true): string {
  const platform = KubernetesPlatform.of(Chart.of(scope));
  const kubectl = `kubectl -n ${platform.namespace} create secret`;
  const bySecret = new Map<string, OwnedCredential[]>();
  for (const c of platform.ownedCredentials) bySecret.set(c.secretName, [...bySecret.get(c.secretName) ?? [], c]);
  const lines = ['# Credentials the constructs own: any random value of the right format'];
  for (const [name, keys] of bySecret) {
    lines.push(`${kubectl} generic ${name} ${keys.map(k => `--from-literal=${k.key}="$(${generateCommand(k)})"`).join(' ')}`);
  }
  lines.push('# TLS Secrets: a certificate for the names listed, its key, and the CA that signed it');
  for (const cert of platform.ownedCertificates) {
    lines.push(`# ${cert.secretName}: ${listDnsNames ? cert.dnsNames.join(', ') : `${cert.dnsNames.length} DNS names (secrets.md lists them)`}`);
    lines.push(`${kubectl} generic ${cert.secretName} --from-file=tls.crt --from-file=tls.key --from-file=ca.crt`);
  }
  const remote = platform.credentialProvisioning.externalSecretsOptions?.remoteSecrets ?? [];
  if (remote.length > 0) {
    lines.push('# Secrets you supply');
    for (const r of remote) lines.push(`${kubectl} generic ${r.secret.secretName} --from-literal=${r.secret.key}=…`);
  }
  return lines.join('\n');
}

/** `secrets.md`: the manual commands for the reference platform's Chart. */
export function secretsMarkdown(scope: Construct): string {
  return [
    `# ${Chart.of(scope).node.id}: Secrets to create by hand`,
    '',
    'Only with `credentials: CredentialProvisioning.manual()` and `certificates: CertificateProvisioning.manual()`',
    '(the reference platform provisions them in the cluster). Generated from `KubernetesPlatform.ownedCredentials`',
    'and `ownedCertificates` at synthesis.',
    '',
    '```bash',
    manualSecretCommands(scope),
    '```',
    '',
  ].join('\n');
}
