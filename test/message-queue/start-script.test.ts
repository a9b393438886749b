import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderDefinitionsTemplate, renderStartScript } from '../../src/message-queue/rabbitmq-config';
import { resolveMessageQueueSpec } from '../../src/message-queue/spec';

/**
 * The start script writes the users' passwords into the definitions: a password is data inside a
 * JSON string, whatever it contains, and one that cannot be is refused before the broker starts.
 */
describe('the RabbitMQ start script', () => {
  const users = [{ name: 'orders-api', publish: true, consume: false }, { name: 'fulfilment', publish: false, consume: true }];
  const spec = resolveMessageQueueSpec('orders', {});

  function run(passwords: Record<string, string | undefined>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-start-'));
    try {
      const template = path.join(dir, 'definitions.template.json');
      fs.writeFileSync(template, renderDefinitionsTemplate(spec, users));
      fs.writeFileSync(path.join(dir, 'cookie'), 'secret-cookie');
      const definitionsFile = path.join(dir, 'definitions.json');
      const script = path.join(dir, 'start.sh');
      fs.writeFileSync(script, renderStartScript(users, { template, definitionsFile, cookieFile: path.join(dir, 'cookie') }));
      // A stand-in broker: shows what it would have been started with.
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'rabbitmq-server'), `#!/bin/sh\ncat "${definitionsFile}"\n`, { mode: 0o755 });
      const env: Record<string, string> = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
      for (const [user, password] of Object.entries(passwords)) {
        if (password !== undefined) env[`RABBITMQ_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`] = password;
      }
      const result = spawnSync('sh', [script], { env, encoding: 'utf8' });
      const cookie = fs.existsSync(path.join(dir, '.erlang.cookie')) ? fs.statSync(path.join(dir, '.erlang.cookie')) : undefined;
      return { ...result, cookieMode: cookie ? (cookie.mode % 0o1000).toString(8) : undefined };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('writes each password into its user, as JSON data, and installs the cookie read-only', () => {
    const tricky = 'a&b$c/d\'e`f=g @@PASSWORD:fulfilment@@ h';
    const result = run({ 'orders-api': tricky, 'fulfilment': 'p@ss:w0rd%' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const definitions = JSON.parse(result.stdout);
    expect(definitions.users).toEqual([
      // A password that looks like another user's placeholder stays as it is.
      { name: 'orders-api', password: tricky, tags: [] },
      { name: 'fulfilment', password: 'p@ss:w0rd%', tags: [] },
    ]);
    expect(result.cookieMode).toBe('400');
  });

  test.each([
    ['a quote', 'pass"word', 'password of broker user orders-api contains a quote, backslash or control character'],
    ['a backslash', 'pass\\word', 'password of broker user orders-api contains a quote, backslash or control character'],
    ['a newline', 'pass\nword', 'password of broker user orders-api contains a quote, backslash or control character'],
    ['a tab', 'pass\tword', 'password of broker user orders-api contains a quote, backslash or control character'],
    ['nothing', undefined, 'password of broker user orders-api is missing (RABBITMQ_PASSWORD_ORDERS_API)'],
  ])('refuses a password with %s before the broker starts', (_what, password, message) => {
    const result = run({ 'orders-api': password, 'fulfilment': 'fine' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(message);
    expect(result.stdout).toBe('');
  });
});
