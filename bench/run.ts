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

interface Measurement {
  readonly impl: string;
  readonly target: string;
  readonly n: number;
  readonly ms: number;
  readonly peakRssMiB: number;
  readonly validation: boolean;
  readonly error?: string;
  readonly output?: { units: number; files: number; largest?: { resources: number; outputs: number; bytes: number }; largestObjectBytes?: number };
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
fs.writeFileSync(path.join(__dirname, 'results.md'), table(results));
process.stdout.write(table(results));

function table(rows: Measurement[]): string {
  const find = (impl: string, target: string, n: number, validation: boolean) =>
    rows.find(r => r.impl === impl && r.target === target && r.n === n && r.validation === validation)!;
  const lines = [
    '| target | validator | N | ours ms | peer ms | time ratio | ours ms per added service | peer ms per added service | per-service ratio | ours MiB | peer MiB | memory ratio | ours output | largest template / object |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows.filter(x => x.impl === 'ours')) {
    const peer = find('peer', r.target, r.n, r.validation);
    const unit = r.target === 'aws' ? 'resources' : 'objects';
    const largest = r.output?.largest
      ? `${r.output.largest.resources} resources, ${r.output.largest.outputs} outputs, ${Math.round(r.output.largest.bytes / 1024)} KiB`
      : r.output?.largestObjectBytes !== undefined ? `${(r.output.largestObjectBytes / 1024).toFixed(1)} KiB` : '';
    // Cost of each service beyond the first: what the platform's fixed part (VPC, namespace…) does not hide.
    const marginal = (row: Measurement) => {
      const base = find(row.impl, row.target, 1, row.validation);
      return row.n > 1 && !row.error && !base.error ? (row.ms - base.ms) / (row.n - 1) : undefined;
    };
    const [oursEach, peerEach] = [marginal(r), marginal(peer)];
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
