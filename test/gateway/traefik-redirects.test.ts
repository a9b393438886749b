import { redirectProblems, redirectTargetPort } from './traefik-redirects';

/** A Service that maps 80/443 to the named container ports web/websecure, as the gateway's does. */
const service = {
  metadata: { name: 'api' },
  spec: { ports: [{ name: 'web', port: 80, targetPort: 'web' }, { name: 'websecure', port: 443, targetPort: 'websecure' }] },
};
const containerPorts = [{ name: 'web', containerPort: 8000 }, { name: 'websecure', containerPort: 8443 }];
const staticConfig = (to: string, websecure: object = { http: { tls: {} } }) => ({
  entryPoints: {
    web: { address: ':8000', http: { redirections: { entryPoint: { to, scheme: 'https' } } } },
    websecure: { address: ':8443', ...websecure },
  },
});

describe('redirect rule: a redirect must reach a TLS entry point through the Service', () => {
  test('the redirect target is a literal port or the named entry point\'s address port', () => {
    expect(redirectTargetPort(staticConfig(':443'), ':443')).toBe(443);
    expect(redirectTargetPort(staticConfig(':443'), 'websecure')).toBe(8443);
    expect(redirectTargetPort(staticConfig(':443'), 'nowhere')).toBeUndefined();
  });

  test('a redirect to the public HTTPS port passes', () => {
    expect(redirectProblems(staticConfig(':443'), service, containerPorts)).toEqual([]);
  });

  test('a redirect to an entry point by name targets its container port, which the Service does not expose', () => {
    expect(redirectProblems(staticConfig('websecure'), service, containerPorts)).toEqual([
      'entry point web: redirects to port 8443, which Service api does not expose (it exposes 80, 443)',
    ]);
  });

  test('a redirect to a Service port that leads to a plain-HTTP entry point, or to nothing, fails', () => {
    expect(redirectProblems(staticConfig(':443', {}), service, containerPorts)).toEqual([
      'entry point web: Service port 443 leads to entry point websecure, which does not terminate TLS',
    ]);
    expect(redirectProblems(staticConfig(':443'), service, [{ name: 'web', containerPort: 8000 }])).toEqual([
      'entry point web: Service port 443 leads to container port "websecure", where no entry point listens',
    ]);
    expect(redirectProblems(staticConfig('nowhere'), service, containerPorts)).toEqual([
      'entry point web: redirect target "nowhere" is neither a port nor an entry point',
    ]);
  });
});
