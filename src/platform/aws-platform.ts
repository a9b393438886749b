import { Aspects, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct, IConstruct } from 'constructs';
import { PlatformValidationError } from './errors';
import { acknowledgeNagFinding } from './nag';
import { NameRegistry } from './name-registry';
import { PlatformProfile } from './profile';
import { ServiceLoadBalancerPool, ServiceListenerSlot } from './service-load-balancers';
import { ServicePlacement } from './service-placement';
import { KeepLateTaggableTypesUntagged } from './stable-tags';

/**
 * Shared AWS resources for every platform construct in one Stack.
 */
export interface AwsPlatformProps {
  /**
   * Name used for the Cloud Map namespace (`<name>.internal`) and resource tags.
   *
   * @default 'platform'
   */
  readonly platformName?: string;
  /**
   * VPC for every workload and data store.
   *
   * @default a new VPC over 3 Availability Zones with public, private (egress) and isolated subnets, and flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * NAT gateways of the created VPC (one per zone keeps egress up when a zone fails).
   *
   * @default 3 (1 under PlatformProfile.DEVELOPMENT)
   */
  readonly natGateways?: number;
  /**
   * ECS cluster for every Fargate workload.
   *
   * @default a new cluster with Container Insights
   */
  readonly cluster?: ecs.ICluster;
  /**
   * Cloud Map private DNS namespace where every construct registers its endpoint.
   *
   * @default a new namespace `<platformName>.internal` in the VPC
   */
  readonly namespace?: servicediscovery.IPrivateDnsNamespace;
  /**
   * Customer-managed key for data at rest (log groups, secrets, data stores).
   *
   * @default a new key with rotation, created on first use
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where each ServiceCluster's resources live.
   *
   * @default ServicePlacement.NESTED_STACK_PER_SERVICE
   */
  readonly servicePlacement?: ServicePlacement;
  /**
   * Retention of the log groups the platform creates.
   *
   * @default logs.RetentionDays.THREE_MONTHS (ONE_WEEK under PlatformProfile.DEVELOPMENT)
   */
  readonly logRetention?: logs.RetentionDays;
}

const REGISTRY = Symbol.for('cdk-portable-platform.AwsPlatform');

/**
 * Per-Stack shared AWS context: VPC, ECS cluster, Cloud Map namespace, encryption key and the
 * internal load balancers in front of services. Created on first use by any platform construct;
 * create it yourself, before the constructs, to override any piece.
 */
export class AwsPlatform extends Construct {
  /**
   * The platform of the Stack that contains `scope` (the root stack, for a construct inside a
   * NestedStack), created with defaults on first use.
   */
  public static of(scope: IConstruct): AwsPlatform {
    const stack = rootStackOf(scope);
    return (stack as any)[REGISTRY] ?? new AwsPlatform(stack, 'PortablePlatform');
  }

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The ECS cluster. */
  public readonly cluster: ecs.ICluster;
  /** The Cloud Map private DNS namespace. */
  public readonly namespace: servicediscovery.IPrivateDnsNamespace;
  /** Platform name. */
  public readonly platformName: string;
  /** Retention of platform log groups. */
  public readonly logRetention: logs.RetentionDays;
  /** Where each ServiceCluster's resources live. */
  public readonly servicePlacement: ServicePlacement;
  private key?: kms.IKey;
  private logsBucket?: s3.IBucket;
  private loadBalancers?: ServiceLoadBalancerPool;
  private readonly names = new NameRegistry();

  constructor(scope: Construct, id: string, props: AwsPlatformProps = {}) {
    super(scope, id);
    const stack = rootStackOf(this);
    if ((stack as any)[REGISTRY]) {
      throw new PlatformValidationError(
        `${this.node.path}: an AwsPlatform already exists in stack ${stack.node.path} ` +
        `(${(stack as any)[REGISTRY].node.path}): create at most one per Stack, before any platform construct`,
      );
    }
    Object.defineProperty(stack, REGISTRY, { value: this, enumerable: false });
    // The same template on every aws-cdk-lib in our peer range, however the user tags the stack.
    Aspects.of(stack).add(new KeepLateTaggableTypesUntagged(this));

    this.platformName = props.platformName ?? 'platform';
    // A development platform keeps one NAT gateway and a week of logs unless told otherwise.
    const development = PlatformProfile.of(this) === PlatformProfile.DEVELOPMENT;
    this.logRetention = props.logRetention ?? (development ? logs.RetentionDays.ONE_WEEK : logs.RetentionDays.THREE_MONTHS);
    this.servicePlacement = props.servicePlacement ?? ServicePlacement.NESTED_STACK_PER_SERVICE;
    this.key = props.encryptionKey;
    this.vpc = props.vpc ?? this.createVpc(props.natGateways ?? (development ? 1 : 3));
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.namespace = props.namespace ?? new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: `${this.platformName}.internal`,
      vpc: this.vpc,
      description: `Service discovery for the ${this.platformName} platform`,
    });
  }

  /**
   * Records that `owner` creates the AWS resource `kind` named `name` in this Stack. A second
   * construct claiming the same one fails synthesis naming both, instead of failing the deploy.
   * Unresolved tokens are not checked.
   *
   * @internal
   */
  public _claimName(owner: IConstruct, kind: string, name: string): void {
    if (!Token.isUnresolved(name)) this.names.claim(owner, kind, name);
  }

  /** Customer-managed key for data at rest, created on first use. */
  public get encryptionKey(): kms.IKey {
    if (!this.key) {
      const key = new kms.Key(this, 'EncryptionKey', {
        description: `Encrypts the ${this.platformName} platform's data at rest`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // CloudWatch Logs encrypts log groups with this key only if the key policy lets it.
      const stack = Stack.of(this);
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` },
        },
      }));
      this.key = key;
    }
    return this.key;
  }

  /** Encrypted, access-logged bucket receiving load balancer access logs, created on first use. */
  public get accessLogsBucket(): s3.IBucket {
    if (!this.logsBucket) {
      const bucket = new s3.Bucket(this, 'AccessLogs', {
        // ELB access logs support only SSE-S3.
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned: true,
        lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledgeNagFinding(bucket, 'AwsSolutions-S1',
        'This bucket is the destination of access logs; logging it into itself would loop');
      this.logsBucket = bucket;
    }
    return this.logsBucket;
  }

  /**
   * A retained log group encrypted with the platform key.
   *
   * @param retention how long to keep its events; the platform's log retention when omitted
   */
  public createLogGroup(scope: Construct, id: string, retention?: logs.RetentionDays): logs.LogGroup {
    return new logs.LogGroup(scope, id, {
      encryptionKey: this.encryptionKey,
      retention: retention ?? this.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * A dedicated listener on a shared internal load balancer for the service named `serviceName`.
   *
   * @internal
   */
  public _serviceListener(serviceName: string): ServiceListenerSlot {
    if (!this.loadBalancers) {
      if (Token.isUnresolved(Stack.of(this).region)) {
        throw new PlatformValidationError(
          `${Stack.of(this).node.path}: env.region is not set: the internal load balancer's access logs need the region; ` +
          "set env: { account: '…', region: '…' } on the Stack",
        );
      }
      this.loadBalancers = new ServiceLoadBalancerPool(this, 'ServiceLoadBalancers', {
        vpc: this.vpc,
        accessLogsBucket: this.accessLogsBucket,
      });
    }
    return this.loadBalancers.allocate(serviceName);
  }

  private createVpc(natGateways: number): ec2.Vpc {
    const stack = Stack.of(this);
    const envAgnostic = Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      // An environment-agnostic stack only knows two zones at synth time: ask CloudFormation for three.
      availabilityZones: envAgnostic ? [0, 1, 2].map(i => Fn.select(i, Fn.getAzs())) : undefined,
      maxAzs: envAgnostic ? undefined : 3,
      natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.createLogGroup(vpc, 'FlowLogsGroup')),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    return vpc;
  }
}

/** The top-level Stack containing `scope`: nested stacks share their root's platform. */
function rootStackOf(scope: IConstruct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}
