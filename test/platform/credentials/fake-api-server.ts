import * as http from 'http';
import { AddressInfo } from 'net';

/** What the fake API server answers for one Secret name, instead of its normal behaviour. */
export type Fault = 'forbidden-create' | 'conflict-create' | 'server-error-get';

export interface StoredSecret {
  readonly metadata: { name: string; namespace: string; labels?: Record<string, string> };
  readonly type?: string;
  readonly data: Record<string, string>;
}

/**
 * As the API server decides it (kubernetes/kubernetes
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go, isPrettyPrint): a
 * `pretty` query parameter wins, else curl, Wget and browsers get indented JSON.
 */
function isPrettyPrint(url: URL, userAgent: string | undefined): boolean {
  const pretty = url.searchParams.get('pretty');
  if (pretty) return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(pretty);
  return /^(curl|Wget|Mozilla\/5\.0)/.test(userAgent ?? '');
}

/**
 * The part of the Kubernetes API the generator script uses, on a loopback port: GET and POST of
 * Secrets in one namespace, bearer-token checked, answering as the API server does (Status objects,
 * 404 when missing, 409 AlreadyExists on a second create, indented JSON for curl's user agent).
 */
export class FakeApiServer {
  public static async start(namespace: string, token: string): Promise<FakeApiServer> {
    const api = new FakeApiServer(namespace, token);
    await new Promise<void>(resolve => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  public readonly secrets = new Map<string, StoredSecret>();
  public readonly faults = new Map<string, Fault>();
  public readonly requests: string[] = [];
  private readonly server: http.Server;

  private constructor(private readonly namespace: string, private readonly token: string) {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => { body += chunk; });
      req.on('end', () => this.handle(req, body, res));
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public stop(): Promise<void> {
    return new Promise(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://api');
    this.requests.push(`${req.method} ${url.pathname}`);
    const json = (value: unknown) => JSON.stringify(value, undefined, isPrettyPrint(url, req.headers['user-agent']) ? 2 : undefined);
    const status = (code: number, reason: string, message: string) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return status(401, 'Unauthorized', 'Unauthorized');
    const base = `/api/v1/namespaces/${this.namespace}/secrets`;
    if (req.method === 'GET' && url.pathname.startsWith(`${base}/`)) {
      const name = url.pathname.slice(base.length + 1);
      if (this.faults.get(name) === 'server-error-get') return status(500, 'InternalError', 'etcd is unavailable');
      const secret = this.secrets.get(name);
      if (!secret) return status(404, 'NotFound', `secrets "${name}" not found`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Metadata (with managedFields) first, as the API server writes it.
      res.end(json({
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { ...secret.metadata, uid: 'u', managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': Object.fromEntries(Object.keys(secret.data).map(k => [`f:${k}`, {}])) } }] },
        data: secret.data,
        type: secret.type ?? 'Opaque',
      }));
      return;
    }
    if (req.method === 'POST' && url.pathname === base) {
      if (req.headers['content-type'] !== 'application/json') return status(415, 'UnsupportedMediaType', 'unsupported media type');
      const secret = JSON.parse(body) as StoredSecret;
      const name = secret.metadata.name;
      const fault = this.faults.get(name);
      if (fault === 'forbidden-create') return status(403, 'Forbidden', `secrets "${name}" is forbidden: ${body.slice(0, 0)}`);
      if (fault === 'conflict-create' || this.secrets.has(name)) return status(409, 'AlreadyExists', `secrets "${name}" already exists`);
      this.secrets.set(name, secret);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(json({ kind: 'Secret', apiVersion: 'v1', ...secret }));
      return;
    }
    status(405, 'MethodNotAllowed', 'the generator only reads and creates Secrets');
  }
}
