/**
 * `npm run bench`: synthesizes platforms of N services with this library and with the equivalent
 * hand-written peer code, each in a fresh process, and writes bench/results.json and
 * bench/results.md (the table the README shows).
 *
 *   AWS:        N = 1, 10, 50, 200 — ours vs aws-ecs-patterns ApplicationLoadBalancedFargateService
 *   Kubernetes: N = 1, 100, 1000   — ours vs cdk8s-plus-27 Deployment + Service + HorizontalPodAutoscaler
 *
 * AWS runs twice: with the built-in CloudFormation validator off (CDK_VALIDATION=false) and on.
 * The library is measured as published: the compiled lib/ (the task compiles it first).
 * Options: --repeat R (default 3; ours and the peer alternate, the fastest of each is kept),
 * --quick (fewer sizes).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { SynthResult } from './platforms';

interface Measurement {
  readonly impl: string;
  readonly target: string;
  readonly n: number;
  readonly ms: number;
  readonly peakRssMiB: number;
  readonly validation: boolean;
  readonly error?: string;
  readonly output?: SynthResult;
}

const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1]) || 3;
const quick = args.includes('--quick');
const SIZES = { aws: quick ? [1, 10] : [1, 10, 50, 200], kubernetes: quick ? [1, 100] : [1, 100, 1000] };

function runOnce(impl: string, target: string, n: number, validation: boolean): Measurement {
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'measure.ts'), impl, target, String(n)], {
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), CDK_VALIDATION: validation ? 'true' : 'false', BENCH_LIBRARY: 'lib' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`measure ${impl} ${target} ${n} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/**
 * Ours and the peer, alternately, `repeat` times each; the fastest run of each is kept. On a shared
 * machine interference only ever adds time, and alternating exposes both sides to the same periods.
 */
function measurePair(target: string, n: number, validation: boolean): Measurement[] {
  const best = new Map<string, Measurement>();
  for (let i = 0; i < repeat; i++) {
    for (const impl of ['ours', 'peer']) {
      const run = runOnce(impl, target, n, validation);
      if (!best.has(impl) || run.ms < best.get(impl)!.ms) best.set(impl, run);
    }
  }
  const kept = [best.get('ours')!, best.get('peer')!];
  for (const m of kept) {
    process.stderr.write(`${target} ${m.impl} N=${n} validation=${validation}: ${m.error ?? `${Math.round(m.ms)} ms, ${Math.round(m.peakRssMiB)} MiB`}\n`);
  }
  return kept;
}

const results: Measurement[] = [];
for (const validation of [false, true]) {
  for (const n of SIZES.aws) results.push(...measurePair('aws', n, validation));
}
for (const n of SIZES.kubernetes) results.push(...measurePair('kubernetes', n, false));

fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, repeat, results }, undefined, 2) + '\n');
const markdown = `${table(results)}\n${outputTable(results)}`;
fs.writeFileSync(path.join(__dirname, 'results.md'), markdown);
process.stdout.write(markdown);

function find(rows: Measurement[], impl: string, target: string, n: number, validation: boolean): Measurement {
  return rows.find(r => r.impl === impl && r.target === target && r.n === n && r.validation === validation)!;
}

/** Growth from the N=1 platform to this one, per added service; undefined at N=1 or after a failure. */
function perAddedService(rows: Measurement[], row: Measurement, measure: (m: Measurement) => number): number | undefined {
  const base = find(rows, row.impl, row.target, 1, row.validation);
  return row.n > 1 && !row.error && !base.error ? (measure(row) - measure(base)) / (row.n - 1) : undefined;
}

function table(rows: Measurement[]): string {
  const lines = [
    '| target | validator | N | ours ms | peer ms | time ratio | ours ms per added service | peer ms per added service | per-service ratio | ours MiB | peer MiB | memory ratio | ours output | largest template / object |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows.filter(x => x.impl === 'ours')) {
    const peer = find(rows, 'peer', r.target, r.n, r.validation);
    const unit = r.target === 'aws' ? 'resources' : 'objects';
    const largest = r.output?.largest
      ? `${r.output.largest.resources} resources, ${r.output.largest.outputs} outputs, ${Math.round(r.output.largest.bytes / 1024)} KiB`
      : r.output?.largestObjectBytes !== undefined ? `${(r.output.largestObjectBytes / 1024).toFixed(1)} KiB` : '';
    // Cost of each service beyond the first: what the platform's fixed part (VPC, namespace…) does not hide.
    const [oursEach, peerEach] = [perAddedService(rows, r, m => m.ms), perAddedService(rows, peer, m => m.ms)];
    lines.push([
      r.target, r.target === 'aws' ? (r.validation ? 'on' : 'off') : 'n/a', r.n,
      r.error ? `fails: ${r.error}` : Math.round(r.ms), peer.error ? `fails: ${peer.error}` : Math.round(peer.ms),
      r.error || peer.error ? '—' : (r.ms / peer.ms).toFixed(2),
      oursEach?.toFixed(1) ?? '—', peerEach?.toFixed(1) ?? '—', oursEach && peerEach ? (oursEach / peerEach).toFixed(2) : '—',
      Math.round(r.peakRssMiB), Math.round(peer.peakRssMiB), (r.peakRssMiB / peer.peakRssMiB).toFixed(2),
      r.output ? `${r.output.units} ${unit} in ${r.output.files} files` : '—', largest,
    ].map(String).join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
  }
  return lines.join('\n') + '\n';
}

/**
 * The same growth per unit of output: per CloudFormation resource on AWS, per KiB of YAML on
 * Kubernetes (objects differ too much in size to count them). Both sides emit different amounts per
 * service, so this separates what each emits from what each costs to emit it.
 */
function outputTable(rows: Measurement[]): string {
  const lines = [
    '| target | validator | N | unit | ours units per added service | peer units per added service | ours ms per unit | peer ms per unit | per-unit ratio |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows.filter(x => x.impl === 'ours' && x.n > 1)) {
    const peer = find(rows, 'peer', r.target, r.n, r.validation);
    const [unit, size] = r.target === 'aws'
      ? ['resource', (m: Measurement) => m.output?.units ?? NaN]
      : ['KiB', (m: Measurement) => (m.output?.bytes ?? NaN) / 1024];
    const [oursUnits, peerUnits] = [perAddedService(rows, r, size), perAddedService(rows, peer, size)];
    const [oursMs, peerMs] = [perAddedService(rows, r, m => m.ms), perAddedService(rows, peer, m => m.ms)];
    if (!oursUnits || !peerUnits || !oursMs || !peerMs) continue;
    const [oursPerUnit, peerPerUnit] = [oursMs / oursUnits, peerMs / peerUnits];
    lines.push([
      r.target, r.target === 'aws' ? (r.validation ? 'on' : 'off') : 'n/a', r.n, unit,
      oursUnits.toFixed(1), peerUnits.toFixed(1), oursPerUnit.toFixed(2), peerPerUnit.toFixed(2), (oursPerUnit / peerPerUnit).toFixed(2),
    ].map(String).join(' | ').replace(/^/, '| ').replace(/$/, ' |'));
  }
  return lines.join('\n') + '\n';
}
