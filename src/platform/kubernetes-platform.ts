import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { clusterScoped, isClusterScoped } from './cluster-scoped';
import { CertificateProvisioningResources, renderCertificates } from './credentials/cert-manager';
import { CertificateProvisioning } from './credentials/certificate-provisioning';
import { CredentialProvisioning } from './credentials/credential-provisioning';
import { renderExternalSecrets } from './credentials/external-secrets';
import { renderGeneratorJob } from './credentials/generator-job';
import { OwnedCertificate, OwnedCertificateRegistry } from './credentials/owned-certificates';
import { CredentialProvisioningResources } from './credentials/resources';
import { certificateProvisioningProblems, credentialProvisioningProblems, ownedRemoteSecretProblems } from './credentials/validation';
import { PlatformValidationError, throwIfInvalid } from './errors';
import { typedKubeObject } from './kube-object';
import { nameCollisionMessage } from './name-registry';
import { validateDnsLabel } from './names';
import { CredentialFormat, OwnedCredential, OwnedCredentialRegistry } from './owned-credentials';
import { PlatformSecret } from './secret';
import { platformWarning } from './warnings';

/**
 * Shared Kubernetes settings for every platform construct in one Chart.
 */
export interface KubernetesPlatformProps {
  /**
   * Value of `app.kubernetes.io/part-of` on every object.
   *
   * @default 'platform'
   */
  readonly platformName?: string;
  /**
   * Namespace of every object.
   *
   * @default the Chart's namespace, else 'default' (with a warning: the platform does not own it, so
   * its default-deny policy covers only the platform's pods and Pod Security is not enforced)
   */
  readonly namespace?: string;
  /**
   * Emit the Namespace object, labelled to enforce Pod Security Standards "restricted".
   *
   * @default true unless the namespace is 'default'
   */
  readonly createNamespace?: boolean;
  /**
   * StorageClass of the PersistentVolumeClaims that stateful constructs create.
   *
   * @default the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Extra labels on every object.
   *
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * Who creates the Secrets platform constructs own (`ownedCredentials`): you, the External Secrets
   * Operator, or a Job of the platform. No value is ever written into a manifest.
   *
   * @default CredentialProvisioning.manual(): you create them before applying
   */
  readonly credentials?: CredentialProvisioning;
  /**
   * Who issues the TLS Secrets of the data stores (`ownedCertificates`): you, or cert-manager.
   *
   * @default CertificateProvisioning.manual(): you create them before applying
   */
  readonly certificates?: CertificateProvisioning;
}

const REGISTRY = Symbol.for('cdk-portable-platform.KubernetesPlatform');
const MANAGED_BY = 'cdk-portable-platform';
const NAMESPACED_DEFAULT = 'default';

/**
 * Per-Chart shared Kubernetes context: the namespace (restricted Pod Security), the
 * `app.kubernetes.io/*` labels, a default-deny NetworkPolicy with DNS egress, and the storage class.
 * Created on first use by any platform construct; create it yourself, first, to override.
 */
export class KubernetesPlatform extends Construct {
  /**
   * Label carrying the identity of the construct that owns an object: derived from the construct's
   * path, it is in every selector a platform construct emits, so no other construct's pods match.
   */
  public static readonly OWNER_LABEL = 'cdk-portable-platform.io/owner';

  /** Value of `OWNER_LABEL` for the objects of `owner`: its construct address (unique per path). */
  public static ownerId(owner: IConstruct): string {
    return owner.node.addr;
  }

  /** The platform of the Chart that contains `scope`, created with defaults on first use. */
  public static of(scope: IConstruct): KubernetesPlatform {
    const chart = Chart.of(scope);
    return (chart as any)[REGISTRY] ?? new KubernetesPlatform(chart, 'PortablePlatform');
  }

  /** Namespace of every object. */
  public readonly namespace: string;
  /** Value of `app.kubernetes.io/part-of`. */
  public readonly platformName: string;
  /** StorageClass for claims; undefined means the cluster default. */
  public readonly storageClassName?: string;
  /** The Namespace object, when created. */
  public readonly namespaceObject?: k8s.KubeNamespace;
  /** Denies all ingress and egress to every pod in the namespace unless another policy allows it. */
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  /** Lets every pod in the namespace resolve DNS. */
  public readonly dnsEgressPolicy: k8s.KubeNetworkPolicy;
  private readonly extraLabels: Record<string, string>;
  /** The Chart's children that existed before this platform: only their objects can precede it. */
  private readonly predecessors: ReadonlySet<IConstruct>;
  /** Constructs that labelled objects with their identity: the owners named in collision messages. */
  private readonly owners = new Set<IConstruct>();
  /** Who creates the owned credentials. */
  public readonly credentialProvisioning: CredentialProvisioning;
  /** Who issues the owned certificates. */
  public readonly certificateProvisioning: CertificateProvisioning;
  private readonly credentials = new OwnedCredentialRegistry();
  private readonly certificates = new OwnedCertificateRegistry();
  private renderedCredentials?: CredentialProvisioningResources;
  private renderedCertificates?: CertificateProvisioningResources;

  constructor(scope: Construct, id: string, props: KubernetesPlatformProps = {}) {
    super(scope, id);
    const chart = Chart.of(this);
    if ((chart as any)[REGISTRY]) {
      throw new PlatformValidationError(
        `${this.node.path}: a KubernetesPlatform already exists in chart ${chart.node.path}: ` +
        'create at most one per Chart, before any platform construct',
      );
    }
    Object.defineProperty(chart, REGISTRY, { value: this, enumerable: false });
    this.predecessors = new Set(chart.node.children.filter(child => child !== this));

    this.platformName = props.platformName ?? 'platform';
    this.namespace = props.namespace ?? chart.namespace ?? NAMESPACED_DEFAULT;
    this.storageClassName = props.storageClassName;
    this.extraLabels = props.labels ?? {};
    validateDnsLabel(this, 'namespace', this.namespace);
    validateDnsLabel(this, 'platformName', this.platformName);
    this.credentialProvisioning = props.credentials ?? CredentialProvisioning.manual();
    this.certificateProvisioning = props.certificates ?? CertificateProvisioning.manual();
    throwIfInvalid([
      ...credentialProvisioningProblems(this, this.credentialProvisioning),
      ...certificateProvisioningProblems(this, this.certificateProvisioning),
    ]);

    if (props.createNamespace ?? this.namespace !== 'default') {
      this.namespaceObject = clusterScoped(typedKubeObject(k8s.KubeNamespace, this, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            ...this.commonLabels(),
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'v1.27',
            'pod-security.kubernetes.io/warn': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
          },
        },
      }));
    }
    // A namespace the platform does not own ("default", or one created elsewhere) holds other pods:
    // a namespace-wide deny would cut them off. There the policies cover the platform's pods only.
    const ownsNamespace = this.namespaceObject !== undefined;
    if (this.namespace === NAMESPACED_DEFAULT) {
      platformWarning(this, 'cdk-portable-platform:KubernetesPlatform:defaultNamespace',
        `objects go to the shared namespace "${NAMESPACED_DEFAULT}", which the platform does not own: Pod Security "restricted" is not enforced ` +
        'and the default-deny policy covers only the platform\'s pods; set the Chart\'s namespace (or KubernetesPlatform namespace)');
    }
    const podSelector = ownsNamespace ? {} : { matchLabels: this.platformPodLabels() };
    this.defaultDenyPolicy = typedKubeObject(k8s.KubeNetworkPolicy, this, 'DefaultDeny', {
      metadata: this.metadata('default-deny-all'),
      spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
    });
    this.dnsEgressPolicy = typedKubeObject(k8s.KubeNetworkPolicy, this, 'AllowDns', {
      metadata: this.metadata('allow-dns-egress'),
      spec: {
        podSelector,
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
        }],
      },
    });
    // Provisioners render at synthesis, when every construct has declared what it owns; before the
    // collision check, which then covers their objects too.
    chart.node.addValidation({
      validate: () => {
        this.renderCredentialProvisioner();
        this.renderCertificateProvisioner();
        return [];
      },
    });
    chart.node.addValidation({ validate: () => this.nameCollisions(chart) });
  }

  /**
   * Every object of the Chart is one kind/namespace/name: two constructs emitting the same one
   * would, on apply, silently keep only the later. Checked over the whole Chart at synthesis, so
   * it holds for every construct, hooks and escape hatches included.
   */
  private nameCollisions(chart: Chart): string[] {
    const seen = new Map<string, ApiObject>();
    const problems: string[] = [];
    for (const node of chart.node.findAll()) {
      if (!ApiObject.isApiObject(node)) continue;
      const kind = `${node.apiGroup === 'core' ? '' : `${node.apiGroup}/`}${node.kind}`;
      const namespace = isClusterScoped(node) ? '' : `${node.metadata.namespace ?? NAMESPACED_DEFAULT}/`;
      const key = `${kind} ${namespace}${node.name}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, node);
        continue;
      }
      problems.push(nameCollisionMessage(this.ownerOf(node), this.ownerOf(first), kind, `${namespace}${node.name}`));
    }
    return problems;
  }

  private ownerOf(object: IConstruct): IConstruct {
    return object.node.scopes.slice().reverse().find(s => this.owners.has(s)) ?? object.node.scope ?? object;
  }

  /**
   * The Secret keys that platform constructs in this Chart read and own (their default credentials,
   * not ones you passed in): what must exist before the manifests start, and what a credential
   * provisioner generates. Sorted by Secret name and key.
   */
  public get ownedCredentials(): OwnedCredential[] {
    return this.credentials.list();
  }

  /**
   * Declares that `owner` reads `secret` (a `PlatformSecret.named` reference) and owns it: nobody
   * supplies it, so it is generated as `format`. Declaring one key twice with another format fails.
   */
  public declareOwnedCredential(owner: IConstruct, secret: PlatformSecret, format: CredentialFormat): void {
    if (this.renderedCredentials) throw new PlatformValidationError(lateDeclaration(owner, 'owned credential', `${secret.secretName}/${secret.key}`));
    this.credentials.declare(owner, secret, format);
  }

  /**
   * The objects that create the owned credentials (none with `CredentialProvisioning.manual()`).
   * Rendered on first access or at synthesis, after which no credential can be declared.
   */
  public get provisionedCredentials(): CredentialProvisioningResources {
    return this.renderCredentialProvisioner();
  }

  private renderCredentialProvisioner(): CredentialProvisioningResources {
    if (this.renderedCredentials) return this.renderedCredentials;
    const provisioning = this.credentialProvisioning;
    if (provisioning.mode === 'manual') return {};
    const owned = this.credentials.list();
    throwIfInvalid(ownedRemoteSecretProblems(this, provisioning, owned));
    const scope = new Construct(this, 'Credentials');
    const eso = provisioning.externalSecretsOptions;
    const job = provisioning.generatorJobOptions;
    this.renderedCredentials = {
      externalSecrets: eso ? renderExternalSecrets(scope, this, owned, eso) : undefined,
      generatorJob: job && owned.length > 0 ? renderGeneratorJob(scope, this, owned, job) : undefined,
    };
    return this.renderedCredentials;
  }

  /**
   * The TLS Secrets that platform constructs in this Chart read (`tls.crt`, `tls.key`, `ca.crt`),
   * with the DNS names each certificate must cover. Sorted by Secret name.
   */
  public get ownedCertificates(): OwnedCertificate[] {
    return this.certificates.list();
  }

  /** Declares that `owner` reads the TLS Secret `secretName`, whose certificate must cover `dnsNames`. */
  public declareOwnedCertificate(owner: IConstruct, secretName: string, dnsNames: string[]): void {
    if (this.renderedCertificates) throw new PlatformValidationError(lateDeclaration(owner, 'owned certificate', secretName));
    this.certificates.declare(owner, secretName, dnsNames);
  }

  /**
   * The cert-manager objects that issue the owned certificates (none with
   * `CertificateProvisioning.manual()`). Rendered on first access or at synthesis.
   */
  public get provisionedCertificates(): CertificateProvisioningResources {
    return this.renderCertificateProvisioner();
  }

  private renderCertificateProvisioner(): CertificateProvisioningResources {
    if (this.renderedCertificates) return this.renderedCertificates;
    if (this.certificateProvisioning.mode === 'manual') return { certificates: [] };
    this.renderedCertificates = renderCertificates(new Construct(this, 'Certificates'), this, this.certificates.list(), this.certificateProvisioning);
    return this.renderedCertificates;
  }

  /**
   * Puts the objects of `scope` after the namespace and default policies in the manifest, so
   * `kubectl apply -f` succeeds in one pass.
   *
   * cdk8s writes objects in construct-tree order, so only constructs attached to the Chart before
   * this platform need an explicit dependency. The others get none: every dependency edge costs
   * cdk8s graph work at synthesis, and a platform has hundreds of workloads.
   *
   * @internal
   */
  public _orderAfter(scope: IConstruct): void {
    const scopes = scope.node.scopes;
    const chartChild = scopes[scopes.indexOf(Chart.of(this)) + 1];
    if (chartChild && this.predecessors.has(chartChild)) scope.node.addDependency(this);
  }

  /** Labels every pod of this platform carries, whichever construct owns it. */
  public platformPodLabels(): Record<string, string> {
    return { 'app.kubernetes.io/part-of': this.platformName, 'app.kubernetes.io/managed-by': MANAGED_BY };
  }

  /** Labels on every object of the platform. */
  public commonLabels(): Record<string, string> {
    return { ...this.extraLabels, 'app.kubernetes.io/part-of': this.platformName, 'app.kubernetes.io/managed-by': MANAGED_BY };
  }

  /**
   * Labels that select the pods of the component `name`.
   *
   * @param owner the construct the pods belong to: its identity (`OWNER_LABEL`) joins the selector,
   * so no pod of another construct matches, whatever its name. Always pass it.
   * @default - without an owner, any construct whose pods carry the same name label matches
   */
  public selectorLabels(name: string, owner?: IConstruct): Record<string, string> {
    return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': this.platformName, ...this.ownerLabels(owner) };
  }

  /**
   * All labels of an object belonging to component `name`.
   *
   * @param owner the construct the object belongs to (see `selectorLabels`)
   * @default - no owner label
   */
  public labelsFor(name: string, component: string, owner?: IConstruct): Record<string, string> {
    return { ...this.commonLabels(), ...this.selectorLabels(name, owner), 'app.kubernetes.io/component': component };
  }

  /**
   * Object metadata in the platform namespace.
   *
   * @param owner the construct the object belongs to (see `selectorLabels`)
   * @default - no owner label
   */
  public metadata(name: string, component?: string, owner?: IConstruct): k8s.ObjectMeta {
    return {
      name,
      namespace: this.namespace,
      labels: component ? this.labelsFor(name, component, owner) : { ...this.commonLabels(), ...this.ownerLabels(owner) },
    };
  }

  /** `{ OWNER_LABEL: ownerId(owner) }`, and remembers `owner` for collision messages. */
  public ownerLabels(owner?: IConstruct): Record<string, string> {
    if (owner === undefined) return {};
    this.owners.add(owner);
    return { [KubernetesPlatform.OWNER_LABEL]: KubernetesPlatform.ownerId(owner) };
  }

  /** Cluster DNS name of the Service `name`. */
  public serviceHost(name: string): string {
    return `${name}.${this.namespace}.svc.cluster.local`;
  }
}

function lateDeclaration(owner: IConstruct, what: string, id: string): string {
  return `${owner.node.path}: ${what} ${id} is declared after the platform's provisioners rendered (at synthesis, or when provisionedCredentials ` +
    'or provisionedCertificates was read): declare it while constructing, before synthesis';
}
