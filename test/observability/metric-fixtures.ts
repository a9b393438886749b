import * as fs from 'fs';
import * as path from 'path';

/** One sample of a scrape: metric name, labels (job and instance included) and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  /** Whether the metric only grows (counter, histogram bucket/count/sum). */
  readonly monotonic: boolean;
}

const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * Parses Prometheus text exposition (one scrape, or several separated by `# scrape instance="…"`
 * lines) and adds the `job` and `instance` labels Prometheus attaches to every scraped sample,
 * plus the `up` series it records per target (prometheus.io/docs/concepts/jobs_instances).
 */
export function parseExposition(text: string, job: string, defaultInstance = '10.0.0.1:9100'): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const instances = new Set<string>();
  let instance = defaultInstance;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const scrape = /^# scrape instance="([^"]+)"$/.exec(line);
    if (scrape) { instance = scrape[1]; continue; }
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) { types.set(type[1], type[2]); continue; }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name, body, value] = m;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count|total|created)$/, '');
    const kind = types.get(name) ?? types.get(family) ?? 'untyped';
    instances.add(instance);
    samples.push({
      name,
      labels: { ...parseLabels(body ?? ''), job, instance },
      value: Number(value === '+Inf' ? Infinity : value),
      monotonic: kind === 'counter' || kind === 'histogram' || kind === 'summary' && /_(sum|count)$/.test(name),
    });
  }
  for (const i of instances) samples.push({ name: 'up', labels: { job, instance: i }, value: 1, monotonic: false });
  return samples;
}

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) labels[m[1]] = m[2].replace(/\\(.)/g, (_s, c: string) => c === 'n' ? '\n' : c);
  return labels;
}

/** The samples of a fixture file under `fixtures/`. */
export function fixtureSamples(file: string, job: string): Sample[] {
  return parseExposition(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), job);
}

/** The header comment of a fixture file: where its names, labels and values come from. */
export function fixtureHeader(file: string): string {
  const lines = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n');
  return lines.slice(0, lines.findIndex(l => !l.startsWith('#') || l.startsWith('# TYPE') || l.startsWith('# scrape'))).join('\n');
}

/**
 * `promtool test rules` input series: each sample held for the test's duration, counters growing
 * by a tenth of their value (at least 1) each step, so that rate() and histogram_quantile() answer.
 */
export function asInputSeries(samples: readonly Sample[], steps: number): Array<{ series: string; values: string }> {
  return samples.map(s => {
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    const start = Number.isFinite(s.value) ? s.value : 0;
    const step = s.monotonic ? Math.max(1, Math.round(start / 10)) : 0;
    return { series: `${s.name}{${labels}}`, values: `${start}+${step}x${steps}` };
  });
}
