import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { PlatformSecret } from './secret';

/**
 * Mounts Secret keys as read-only files into a workload's first container (Kubernetes): certificate
 * authorities and client certificates a data store hands its clients. One directory holds one
 * Secret key; asking again for the same file is a no-op, so connecting twice changes nothing.
 */
export class SecretFileMounts {
  private readonly byDirectory = new Map<string, string>();
  private readonly volumes = new Set<string>();

  constructor(private readonly scope: IConstruct, private readonly deployment: ApiObject | undefined) {}

  /** Mounts `secret` at `<directory>/<key>` and returns that path; fails on AWS (no `deployment`). */
  public mount(secret: PlatformSecret, directory: string): string {
    if (!this.deployment) {
      throw new PlatformValidationError(`${this.scope.node.path}: addSecretFile is not supported on aws: ` +
        'ECS passes secrets as environment variables only; read the value with addSecret');
    }
    if (!/^\/[A-Za-z0-9._/-]{1,200}$/.test(directory) || directory.split('/').includes('..')) {
      throw new PlatformValidationError(invalidPropMessage(this.scope, 'addSecretFile(directory)', 'is not an absolute directory path', directory,
        'start with "/", use letters, digits, ".", "_", "-" and "/", no ".." segment'));
    }
    const ref = secret._toSecretKeyRef(this.scope, 'addSecretFile(secret)');
    const id = `${ref.name}/${ref.key}`;
    const existing = this.byDirectory.get(directory);
    if (existing === undefined) {
      this.byDirectory.set(directory, id);
      const volume = this.volumeName(`${ref.name}-${ref.key}`);
      this.deployment.addJsonPatch(
        JsonPatch.add('/spec/template/spec/volumes/-', { name: volume, secret: { secretName: ref.name, items: [{ key: ref.key, path: ref.key }], defaultMode: 0o444 } }),
        JsonPatch.add('/spec/template/spec/containers/0/volumeMounts/-', { name: volume, mountPath: directory, readOnly: true }),
      );
    } else if (existing !== id) {
      throw new PlatformValidationError(invalidPropMessage(this.scope, 'addSecretFile(directory)', `already holds ${existing}`, directory,
        'mount each Secret key in its own directory'));
    }
    return `${directory}/${ref.key}`;
  }

  /** A DNS-label volume name from the Secret and key, numbered when one key is mounted twice. */
  private volumeName(base: string): string {
    const label = base.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 58).replace(/^-+|-+$/g, '');
    let name = label;
    for (let n = 2; this.volumes.has(name); n++) name = `${label}-${n}`;
    this.volumes.add(name);
    return name;
  }
}
