import * as fc from 'fast-check';
import { parse } from 'yaml';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { LogDestination } from '../../src/observability/logs/log-destination';
import { logExport } from '../../src/observability/logs/log-export';
import { logProblems } from '../../src/observability/logs/log-validation';
import { resolveObservabilitySpec } from '../../src/observability/spec';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { PlatformTarget } from '../../src/platform/target';
import { oneHostile, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { expandOtel } from '../conformance/languages/otel-expansion';
import { kubernetesChart } from '../util';

const PASSWORD = PlatformSecret.named('logs-store', 'password');
/** What the collector reads after expanding `${…}`, with a variable that would leak if anything expanded. */
const read = (value: string) => expandOtel(value, { HOME: '/root', LOGS_PASSWORD: 'secret' });

describe('log store strings are data for the collector', () => {
  const scope = kubernetesChart();
  /** The rendered (YAML round trip) exporters and extensions, or undefined when validation refuses the props. */
  const render = (logs: LogDestination) => {
    const spec = resolveObservabilitySpec({ logs });
    if (logProblems(scope, spec, PlatformTarget.KUBERNETES, PlatformProfile.PRODUCTION).length > 0) return undefined;
    return parse(toYaml(logExport(spec.logs, [])));
  };

  test('Elasticsearch: URL, index and user name read back exactly, and add no field', () => {
    const valid = { url: 'https://es.example.com:9200', index: 'logs-generic-default', username: 'otel' };
    let accepted = 0;
    fc.assert(fc.property(oneHostile(valid), s => {
      const credentials = { username: s.username, passwordSecret: PASSWORD };
      const out = render(LogDestination.elasticsearch({ url: s.url, index: s.index, credentials }));
      if (!out) return;
      accepted++;
      const exporter = out.exporters['elasticsearch/logs'];
      expect(Object.keys(exporter).sort()).toEqual(['endpoints', 'logs_index', 'password', 'retry', 'sending_queue', 'user']);
      expect(exporter.endpoints.map(read)).toEqual([s.url]);
      expect(read(exporter.logs_index)).toBe(s.index);
      expect(read(exporter.user)).toBe(s.username);
      expect(read(exporter.password)).toBe('secret');
    }), { ...PROPERTY_RUNS, examples: [[valid], [{ ...valid, username: 'u${env:HOME}$$x' }]] });
    expect(accepted).toBeGreaterThan(1);
  });

  test('OpenSearch: URL, dataset, namespace and user name read back exactly, and add no field', () => {
    const valid = { url: 'https://os.example.com', dataset: 'default', namespace: 'platform', username: 'otel' };
    let accepted = 0;
    fc.assert(fc.property(oneHostile(valid), s => {
      const out = render(LogDestination.openSearch({ ...s, credentials: { username: s.username, passwordSecret: PASSWORD } }));
      if (!out) return;
      accepted++;
      const exporter = out.exporters['opensearch/logs'];
      expect(Object.keys(exporter).sort()).toEqual(['dataset', 'http', 'namespace', 'retry_on_failure']);
      expect(read(exporter.http.endpoint)).toBe(s.url);
      expect(read(exporter.dataset)).toBe(s.dataset);
      expect(read(exporter.namespace)).toBe(s.namespace);
      expect(out.extensions['basicauth/logs'].client_auth).toEqual({ username: expect.any(String), password: '${env:LOGS_PASSWORD}' });
      expect(read(out.extensions['basicauth/logs'].client_auth.username)).toBe(s.username);
    }), { ...PROPERTY_RUNS, examples: [[valid], [{ ...valid, username: '${HOME}' }]] });
    expect(accepted).toBeGreaterThan(1);
  });

  test('OTLP: the URL reads back exactly; the only expansion is our own credential reference', () => {
    fc.assert(fc.property(oneHostile({ url: 'https://logs.example.com/otlp' }), s => {
      const out = render(LogDestination.otlp({ url: s.url, authorizationSecret: PASSWORD }));
      if (!out) return;
      const exporter = out.exporters['otlphttp/logs'];
      expect(read(exporter.endpoint)).toBe(s.url);
      expect(exporter.headers).toEqual({ Authorization: '${env:LOGS_AUTHORIZATION}' });
    }), { ...PROPERTY_RUNS, examples: [[{ url: 'https://logs.example.com/a$HOME' }], [{ url: 'https://logs.example.com/a$$b' }]] });
  });
});
