/**
 * The platforms the benchmark synthesizes: N services written with this library, and the
 * equivalent hand-written peer code.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/**
 * The library under measurement: as published (the compiled `lib/`, which `npm run bench` builds
 * first) when BENCH_LIBRARY=lib, else its TypeScript sources.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time, one of two builds
const { ServiceCluster }: typeof import('../src') = process.env.BENCH_LIBRARY === 'lib' ? require('../lib') : require('../src');

export const ENV = { account: '123456789012', region: 'us-east-1' };
const AZ_CONTEXT = { [`availability-zones:account=${ENV.account}:region=${ENV.region}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] };
/** A hand-written ecs-patterns app must split its services itself: one stack fails at 37. */
export const PEER_SERVICES_PER_STACK = 30;

export interface SynthResult {
  /** Resources (AWS) or objects (Kubernetes) in the output. */
  readonly units: number;
  /** Templates or manifest files written. */
  readonly files: number;
  /** Bytes of all templates or manifests written. */
  readonly bytes: number;
  /** Largest template: resources, outputs, bytes (AWS only). */
  readonly largest?: { readonly resources: number; readonly outputs: number; readonly bytes: number };
  /** Largest Kubernetes object, bytes (Kubernetes only). */
  readonly largestObjectBytes?: number;
}

/** N ServiceClusters in one Stack, with request-rate scaling. */
export function oursAws(n: number, outdir: string): cdk.Stack {
  const app = new cdk.App({ outdir, context: AZ_CONTEXT });
  const stack = new cdk.Stack(app, 'Platform', { env: ENV });
  for (let i = 0; i < n; i++) {
    new ServiceCluster(stack, `Service${i}`, { image: 'ghcr.io/acme/service:1.0.0', targetRequestsPerSecond: 100 });
  }
  app.synth();
  return stack;
}

/** N ApplicationLoadBalancedFargateServices sharing one cluster, CPU autoscaling, stacks of 30. */
export function peerAws(n: number, outdir: string): void {
  const app = new cdk.App({ outdir, context: AZ_CONTEXT });
  const base = new cdk.Stack(app, 'Base', { env: ENV });
  const cluster = new ecs.Cluster(base, 'Cluster', { vpc: new ec2.Vpc(base, 'Vpc', { maxAzs: 3 }) });
  let stack = base;
  for (let i = 0; i < n; i++) {
    if (i % PEER_SERVICES_PER_STACK === 0) stack = new cdk.Stack(app, `Services${i / PEER_SERVICES_PER_STACK}`, { env: ENV });
    const service = new patterns.ApplicationLoadBalancedFargateService(stack, `Service${i}`, {
      cluster,
      publicLoadBalancer: false,
      desiredCount: 2,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/service:1.0.0'), containerPort: 8080 },
    });
    service.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 })
      .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });
  }
  app.synth();
}

/** N ServiceClusters in one Chart. */
export function oursKubernetes(n: number, outdir: string): void {
  const app = new cdk8s.App({ outdir, outputFileExtension: '.k8s.yaml' });
  const chart = new cdk8s.Chart(app, 'platform', { namespace: 'platform' });
  for (let i = 0; i < n; i++) new ServiceCluster(chart, `Service${i}`, { image: 'ghcr.io/acme/service:1.0.0' });
  app.synth();
}

/** N cdk8s-plus-27 Deployment + Service + HorizontalPodAutoscaler. */
export function peerKubernetes(n: number, outdir: string): void {
  const app = new cdk8s.App({ outdir, outputFileExtension: '.k8s.yaml' });
  const chart = new cdk8s.Chart(app, 'platform', { namespace: 'platform' });
  for (let i = 0; i < n; i++) {
    const deployment = new kplus.Deployment(chart, `Service${i}`, {
      containers: [{ image: 'ghcr.io/acme/service:1.0.0', portNumber: 8080 }],
    });
    deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.HorizontalPodAutoscaler(chart, `Service${i}Hpa`, {
      target: deployment,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
  app.synth();
}

/** Sizes of what a synthesis wrote. */
export function measureOutput(outdir: string): SynthResult {
  const files = fs.readdirSync(outdir);
  const templates = files.filter(f => f.endsWith('.template.json'));
  if (templates.length > 0) {
    let units = 0;
    let bytes = 0;
    let largest = { resources: 0, outputs: 0, bytes: 0 };
    for (const file of templates) {
      const text = fs.readFileSync(path.join(outdir, file), 'utf8');
      const template = JSON.parse(text);
      const resources = Object.keys(template.Resources ?? {}).length;
      units += resources;
      bytes += Buffer.byteLength(text);
      if (resources > largest.resources) largest = { resources, outputs: Object.keys(template.Outputs ?? {}).length, bytes: text.length };
    }
    return { units, files: templates.length, bytes, largest };
  }
  const manifests = files.filter(f => f.endsWith('.k8s.yaml'));
  let units = 0;
  let bytes = 0;
  let largestObjectBytes = 0;
  for (const file of manifests) {
    const text = fs.readFileSync(path.join(outdir, file), 'utf8');
    bytes += Buffer.byteLength(text);
    for (const doc of text.split(/^---$/m)) {
      if (doc.trim() === '') continue;
      units++;
      largestObjectBytes = Math.max(largestObjectBytes, Buffer.byteLength(doc));
    }
  }
  return { units, files: manifests.length, bytes, largestObjectBytes };
}
