import { Duration } from 'aws-cdk-lib';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubernetesPlatform } from '../kubernetes-platform';
import { OwnedCredential } from '../owned-credentials';
import { ExternalSecretsOptions, RemoteSecret } from './credential-provisioning';
import { goDuration } from './go-duration';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
export const GENERATOR_API_VERSION = 'generators.external-secrets.io/v1alpha1';
const COMPONENT = 'credentials';

/** The External Secrets objects of the platform. */
export interface ExternalSecretsResources {
  /** `Password` generators: one per owned Secret and format. */
  readonly passwordGenerators: ApiObject[];
  /** `ExternalSecret`s: one per owned Secret (generated once), one per remote Secret (refreshed). */
  readonly externalSecrets: ApiObject[];
}

/**
 * The `Password` generator spec that yields a credential of `format`: `randomBytes` characters,
 * then encoded as the format says. A hex PASSWORD is 32 letters and digits as 64 hex characters; a
 * MONGO_KEYFILE is 756 of them as 1,008 base64 characters, the length and alphabet mongod reads.
 */
export function passwordGeneratorSpec(credentials: readonly OwnedCredential[]): Record<string, unknown> {
  const format = credentials[0].format;
  return {
    length: format.randomBytes,
    digits: Math.floor(format.randomBytes / 4),
    symbols: 0,
    noUpper: false,
    allowRepeat: true,
    encoding: format.encoding,
    secretKeys: credentials.map(c => c.key).sort(),
  };
}

/**
 * Renders, per owned Secret, one `Password` generator per format and an `ExternalSecret` that
 * creates the Secret from them exactly once: `refreshPolicy: CreatedOnce` (no schedule),
 * `immutable: true` (a re-created ExternalSecret never rewrites existing data, per the operator's
 * docs: docs/api/externalsecret.md) and `creationPolicy: Orphan` (deleting the ExternalSecret keeps
 * the Secret). Remote secrets get one `ExternalSecret` per Secret, refreshed on `refreshInterval`.
 */
export function renderExternalSecrets(
  scope: Construct, platform: KubernetesPlatform, credentials: readonly OwnedCredential[], options: ExternalSecretsOptions,
): ExternalSecretsResources {
  const metadata = (name: string) => platform.metadata(name, COMPONENT, scope);
  const passwordGenerators: ApiObject[] = [];
  const externalSecrets: ApiObject[] = [];

  for (const [secretName, keys] of groupBy(credentials, c => c.secretName)) {
    const generators = [...groupBy(keys, c => c.format.formatName)].map(([formatName, ofFormat]) => {
      const name = `${secretName}-${formatName}`;
      passwordGenerators.push(new ApiObject(scope, `Generator-${name}`, {
        apiVersion: GENERATOR_API_VERSION,
        kind: 'Password',
        metadata: metadata(name),
        spec: passwordGeneratorSpec(ofFormat),
      }));
      return name;
    });
    externalSecrets.push(new ApiObject(scope, `Generated-${secretName}`, {
      apiVersion: EXTERNAL_SECRET_API_VERSION,
      kind: 'ExternalSecret',
      metadata: metadata(secretName),
      spec: {
        refreshPolicy: 'CreatedOnce',
        refreshInterval: '0s',
        target: { name: secretName, creationPolicy: 'Orphan', deletionPolicy: 'Retain', immutable: true },
        dataFrom: generators.map(name => ({ sourceRef: { generatorRef: { apiVersion: GENERATOR_API_VERSION, kind: 'Password', name } } })),
      },
    }));
  }

  for (const [secretName, mapped] of groupBy(options.remoteSecrets ?? [], r => r.secret.secretName!)) {
    const store = (mapped[0].store ?? options.secretStore)!;
    externalSecrets.push(new ApiObject(scope, `Remote-${secretName}`, {
      apiVersion: EXTERNAL_SECRET_API_VERSION,
      kind: 'ExternalSecret',
      metadata: metadata(secretName),
      spec: {
        refreshInterval: goDuration(options.refreshInterval ?? Duration.hours(1)),
        secretStoreRef: { name: store.storeName, kind: store.storeKind },
        target: { name: secretName, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
        data: [...mapped].sort((a, b) => a.secret.key!.localeCompare(b.secret.key!)).map(remoteData),
      },
    }));
  }
  return { passwordGenerators, externalSecrets };
}

function remoteData(remote: RemoteSecret): Record<string, unknown> {
  return { secretKey: remote.secret.key, remoteRef: { key: remote.remoteKey, property: remote.remoteProperty } };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...groups.get(key) ?? [], item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
