import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { FakeApiServer } from './fake-api-server';
import { CredentialFormat, PlatformSecret } from '../../../src';
import { renderGeneratorScript } from '../../../src/platform/credentials/generator-script';
import { OwnedCredentialRegistry } from '../../../src/platform/owned-credentials';
import { requireTool } from '../../conformance/tools';

const NAMESPACE = 'shop';
const TOKEN = 'test-token-7f3a';
const LABELS = { 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/component': 'credentials' };

function credentials() {
  const registry = new OwnedCredentialRegistry();
  const owner = new Construct(undefined as any, 'Db');
  registry.declare(owner, PlatformSecret.named('db-admin', 'password'), CredentialFormat.PASSWORD);
  registry.declare(owner, PlatformSecret.named('db-admin', 'monitor-password'), CredentialFormat.PASSWORD);
  registry.declare(owner, PlatformSecret.named('db-keyfile', 'keyfile'), CredentialFormat.MONGO_KEYFILE);
  registry.declare(owner, PlatformSecret.named('queue-cookie', 'cookie'), CredentialFormat.ERLANG_COOKIE);
  return registry.list();
}

const script = renderGeneratorScript(NAMESPACE, LABELS, credentials(), { tokenFile: '/unused/token', caFile: '/unused/ca.crt' });

interface Run { readonly code: number | null; readonly output: string }

/** Runs the script with `sh` against `api`; stdout and stderr interleaved, as the Job's log shows them. */
async function run(api: FakeApiServer | string): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credentials-'));
  try {
    fs.writeFileSync(path.join(dir, 'token'), TOKEN);
    fs.writeFileSync(path.join(dir, 'ca.crt'), '');
    fs.writeFileSync(path.join(dir, 'generate.sh'), script);
    const child = spawn('sh', [path.join(dir, 'generate.sh')], {
      env: { PATH: process.env.PATH, TMPDIR: dir, API_SERVER: typeof api === 'string' ? api : api.url, TOKEN_FILE: path.join(dir, 'token'), CA_FILE: path.join(dir, 'ca.crt') },
    });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    const code = await new Promise<number | null>(resolve => child.on('close', resolve));
    // The private work directory is gone: nothing generated stays on disk.
    expect(fs.readdirSync(dir).sort()).toEqual(['ca.crt', 'generate.sh', 'token']);
    return { code, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const decoded = (api: FakeApiServer, name: string) =>
  Object.fromEntries(Object.entries(api.secrets.get(name)!.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

/** Every value the fake API server holds, raw and base64: none may appear in the log. */
function expectNoValueIn(output: string, api: FakeApiServer): void {
  for (const secret of api.secrets.values()) {
    for (const encoded of Object.values(secret.data)) {
      const value = Buffer.from(encoded, 'base64').toString('utf8');
      for (const text of [encoded, value, value.slice(0, 16), encoded.slice(0, 16)]) expect(output).not.toContain(text);
    }
  }
}

const haveTools = requireTool('curl', 'apt-get install curl') && requireTool('od', 'coreutils');
const engine = haveTools ? describe : describe.skip;

engine('the generator script against a fake API server', () => {
  let api: FakeApiServer;
  beforeEach(async () => { api = await FakeApiServer.start(NAMESPACE, TOKEN); });
  afterEach(() => api.stop());

  test('creates every missing Secret once, each value in its format, and logs no value', async () => {
    const { code, output } = await run(api);
    expect(code).toBe(0);
    expect([...api.secrets.keys()].sort()).toEqual(['db-admin', 'db-keyfile', 'queue-cookie']);
    const admin = decoded(api, 'db-admin');
    expect(Object.keys(admin).sort()).toEqual(['monitor-password', 'password']);
    expect(admin.password).toMatch(/^[0-9a-f]{64}$/);
    expect(admin['monitor-password']).toMatch(/^[0-9a-f]{64}$/);
    expect(admin.password).not.toEqual(admin['monitor-password']);
    expect(decoded(api, 'queue-cookie').cookie).toMatch(/^[0-9a-f]{64}$/);
    const keyfile = decoded(api, 'db-keyfile').keyfile;
    // 756 random bytes, base64 on one line: what mongod reads as a key file (≤ 1024 base64 characters).
    expect(keyfile).toMatch(/^[A-Za-z0-9+/]{1008}$/);
    expect(Buffer.from(keyfile, 'base64')).toHaveLength(756);
    expect(api.secrets.get('db-admin')).toMatchObject({ metadata: { name: 'db-admin', namespace: NAMESPACE, labels: LABELS }, type: 'Opaque' });
    expect(output.trim().split('\n').sort()).toEqual(['Secret db-admin created', 'Secret db-keyfile created', 'Secret queue-cookie created']);
    expectNoValueIn(output, api);
  });

  test('keeps a Secret that exists, whatever its values, and reads no more than it needs', async () => {
    api.secrets.set('db-admin', { metadata: { name: 'db-admin', namespace: NAMESPACE }, data: { 'password': Buffer.from('existing-admin-value').toString('base64'), 'monitor-password': Buffer.from('existing-monitor-value').toString('base64') } });
    const { code, output } = await run(api);
    expect(code).toBe(0);
    expect(decoded(api, 'db-admin')).toEqual({ 'password': 'existing-admin-value', 'monitor-password': 'existing-monitor-value' });
    expect(output).toContain('Secret db-admin exists: kept');
    expect(api.requests.filter(r => r.startsWith('POST'))).toHaveLength(2);
    expectNoValueIn(output, api);
    // A second run changes nothing.
    const before = JSON.stringify([...api.secrets]);
    expect((await run(api)).code).toBe(0);
    expect(JSON.stringify([...api.secrets])).toEqual(before);
  });

  test('an existing Secret without an owned key fails the run, names the key, and is not changed', async () => {
    api.secrets.set('db-admin', { metadata: { name: 'db-admin', namespace: NAMESPACE }, data: { password: Buffer.from('existing-admin-value').toString('base64') } });
    const { code, output } = await run(api);
    expect(code).toBe(1);
    expect(output).toContain('Secret db-admin exists without key(s) monitor-password: add them yourself (this Job never changes an existing Secret)');
    expect(decoded(api, 'db-admin')).toEqual({ password: 'existing-admin-value' });
    expect([...api.secrets.keys()].sort()).toEqual(['db-admin', 'db-keyfile', 'queue-cookie']);
    expectNoValueIn(output, api);
  });

  test('a Secret created meanwhile (409 Conflict) counts as done', async () => {
    api.faults.set('db-keyfile', 'conflict-create');
    const { code, output } = await run(api);
    expect(code).toBe(0);
    expect(output).toContain('Secret db-keyfile was created meanwhile: kept');
  });

  test('any other error fails the run with its status and reason, after trying every other Secret', async () => {
    api.faults.set('db-admin', 'forbidden-create');
    api.faults.set('queue-cookie', 'server-error-get');
    const { code, output } = await run(api);
    expect(code).toBe(1);
    expect(output).toContain('Secret db-admin: creating it failed with HTTP 403 Forbidden');
    expect(output).toContain('Secret queue-cookie: reading it failed with HTTP 500 InternalError');
    expect([...api.secrets.keys()]).toEqual(['db-keyfile']);
    expectNoValueIn(output, api);
  });

  test('an unreachable API server fails the run', async () => {
    const url = api.url;
    await api.stop();
    const { code, output } = await run(url);
    expect(code).toBe(1);
    expect(output).toContain('Secret db-admin: reading it failed with HTTP 000');
    api = await FakeApiServer.start(NAMESPACE, TOKEN);
  }, 60_000);
});

describe('the generator script, as text', () => {
  test('never traces, echoes or passes a value as an argument', () => {
    expect(script).not.toMatch(/set\s+-[a-z]*x/);
    expect(script).not.toMatch(/\bsh\s+-x/);
    // The only lines that print are status lines of names, keys, HTTP codes and reasons.
    const printing = script.split('\n').filter(line => /\becho\b/.test(line));
    for (const line of printing) expect(line).not.toMatch(/\$(value|data|present|\{value|\{data)/);
    // Values reach curl through a file, the token through a header file.
    expect(script).toContain('--data-binary "@$work/body"');
    expect(script).toContain('-H "@$work/auth"');
  });

  test('names and labels are data: a quote in a label value stays inside its shell word', () => {
    const text = renderGeneratorScript(NAMESPACE, { team: 'o\'brien; rm -rf /' }, credentials(), { tokenFile: '/t', caFile: '/c' });
    expect(text).toContain('labels=\'{"team":"o\'\\\'\'brien; rm -rf /"}\'');
  });
});
