import { execFileSync, spawnSync } from 'child_process';
import * as vm from 'vm';
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { configComment, configWord } from '../../src/platform/escape/config-file';
import { goTemplateText, goTemplateTree, GoTemplateEnv } from '../../src/platform/escape/go-template';
import { jsComment, jsLiteral } from '../../src/platform/escape/javascript';
import { kubernetesExpansionLiteral } from '../../src/platform/escape/kubernetes-expansion';
import { otelConfigLiteral } from '../../src/platform/escape/otel-config';
import { shellComment, shellQuote } from '../../src/platform/escape/shell';
import { EngineSandbox, freePort, redisCli, waitFor, writeFile } from '../cache-cluster/engine-harness';
import { evaluateGoTemplate } from '../conformance/languages/go-template';
import { ENGINE_TIMEOUT_MS, hostileString, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { expandKubernetes } from '../conformance/languages/kubernetes-expansion';
import { expandOtel } from '../conformance/languages/otel-expansion';
import { requireTool } from '../conformance/tools';

/** Strings a process can receive: well-formed UTF-16 (a lone surrogate has no UTF-8 form). */
// Node 20 has String.prototype.isWellFormed; the project's TypeScript lib (es2022) does not declare it.
const wellFormed = hostileString.filter(s => (s as unknown as { isWellFormed(): boolean }).isWellFormed());

describe('one escaping function per generated language, proven on arbitrary strings', () => {
  test('Go template: every string evaluates to itself, whatever it contains', () => {
    fc.assert(fc.property(hostileString, s => {
      expect(evaluateGoTemplate(goTemplateText(s))).toBe(s);
    }), PROPERTY_RUNS);
  });

  test('Go template + YAML: a tree of arbitrary keys and strings survives the YAML emitter and the templating', () => {
    const tree = fc.dictionary(hostileString, fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 }), fc.integer()), { maxKeys: 4 });
    fc.assert(fc.property(tree, value => {
      const file = Yaml.stringify(goTemplateTree({ data: value, password: new GoTemplateEnv('STORE_PASSWORD') }));
      expect(parse(evaluateGoTemplate(file, { STORE_PASSWORD: 'p{{w' }))).toEqual({ data: value, password: 'p{{w' });
    }), PROPERTY_RUNS);
  });

  test('POSIX shell: a quoted word is one argument equal to the string; NUL is refused', () => {
    fc.assert(fc.property(wellFormed, wellFormed, (a, b) => {
      if (a.includes('\0') || b.includes('\0')) {
        expect(() => shellQuote(a + b)).toThrow(/NUL/);
        return;
      }
      const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellQuote(a)} ${shellQuote(b)}`], { encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual([a, b]);
    }), PROPERTY_RUNS);
  }, ENGINE_TIMEOUT_MS);

  test('POSIX shell: a comment stays a comment', () => {
    fc.assert(fc.property(wellFormed, s => {
      const out = execFileSync('/bin/sh', ['-c', `# ${shellComment(s)}\necho ok`], { encoding: 'utf8' });
      expect(out).toBe('ok\n');
    }), PROPERTY_RUNS);
  }, ENGINE_TIMEOUT_MS);

  test('Kubernetes $(VAR) expansion: an escaped value expands to itself, even with the variables defined', () => {
    fc.assert(fc.property(hostileString, s => {
      expect(expandKubernetes(kubernetesExpansionLiteral(s), { HOME: '/root', VAR: 'x', RATE_LIMIT_STORE_1_PASSWORD: 'secret' })).toBe(s);
    }), PROPERTY_RUNS);
  });

  test('OpenTelemetry Collector ${…} expansion: an escaped value expands to itself', () => {
    fc.assert(fc.property(hostileString, s => {
      expect(expandOtel(otelConfigLiteral(s), { HOME: '/root', AWS_SECRET_ACCESS_KEY: 'secret' })).toBe(s);
    }), PROPERTY_RUNS);
  });

  test('JavaScript (mongosh): a literal evaluates to an equal value and a comment runs nothing', () => {
    const value = fc.dictionary(hostileString, fc.oneof(hostileString, fc.array(hostileString, { maxLength: 3 })), { maxKeys: 4 });
    fc.assert(fc.property(value, hostileString, (v, comment) => {
      expect(vm.runInNewContext(`(${jsLiteral(v, 2)})`)).toEqual(v);
      expect(vm.runInNewContext(`// ${jsComment(comment)}\n42`)).toBe(42);
    }), PROPERTY_RUNS);
  });

  describe('line-oriented configuration (redis.conf, haproxy.cfg): comments stay comments, only bare words are accepted', () => {
    const sandbox = new EngineSandbox();
    afterAll(() => sandbox.stop());

    test('redis-server loads a file of arbitrary comments and sees only the directives we wrote', async () => {
      if (!requireTool('redis-server', 'apt-get install redis-server')) return;
      const comments = fc.sample(wellFormed, PROPERTY_RUNS.numRuns).map(s => `# ${configComment(s)}`);
      const port = await freePort();
      const file = writeFile(sandbox.dir, 'redis.conf', [...comments, `port ${port}`, 'bind 127.0.0.1', 'save ""', 'appendonly no',
        'maxmemory-policy allkeys-lru', `dir ${sandbox.dir}`, ''].join('\n'));
      sandbox.start('redis', 'redis-server', [file]);
      const reply = await waitFor('redis-server', 20_000, () => redisCli(port, '', ['CONFIG', 'GET', 'maxmemory-policy']) || undefined, () => sandbox.log('redis'));
      expect(reply.trim().split('\n')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    }, ENGINE_TIMEOUT_MS);

    test('haproxy -c accepts a file of arbitrary comments and every word configWord lets through', () => {
      if (!requireTool('haproxy -v', 'apt-get install haproxy')) return;
      const words: string[] = [];
      fc.assert(fc.property(hostileString, s => {
        try {
          words.push(configWord(s));
        } catch (e) {
          expect(String(e)).toMatch(/is not a bare configuration word/);
        }
      }), PROPERTY_RUNS);
      words.push(...fc.sample(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/), 50).map(configWord));
      const comments = fc.sample(wellFormed, PROPERTY_RUNS.numRuns).map(s => `# ${configComment(s)}`);
      const cfg = [...comments, 'defaults', '  mode tcp', '  timeout connect 1s', '  timeout client 1s', '  timeout server 1s',
        // A listener, so that a valid file exits 0 (-c only parses; nothing binds).
        'frontend words-in', '  bind 127.0.0.1:1', '  default_backend words', 'backend words', ...words.map((w, i) => `  server ${configWord(`${i}-${w}`)} 127.0.0.1:${1024 + i}`), ''].join('\n');
      const file = writeFile(sandbox.dir, 'haproxy.cfg', cfg);
      const check = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`).not.toMatch(/ALERT/);
      expect(check.status).toBe(0);
    }, ENGINE_TIMEOUT_MS);
  });
});
