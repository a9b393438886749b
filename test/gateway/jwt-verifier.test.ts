import { JwtVerifier } from '../../src/gateway';
import { jwtVerifierArgs, renderJwtVerifierConfig } from '../../src/gateway/jwt-verifier-config';

const jwt = { issuer: 'https://auth.example.com/', jwksUrl: 'https://auth.example.com:8443/keys', audiences: ['api'], verifier: JwtVerifier.sidecar() };
const TYPE = 'type.googleapis.com/envoy.extensions';

describe('Envoy JWT verifier configuration', () => {
  const config = renderJwtVerifierConfig(jwt);
  const manager = config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const [authn, router] = manager.http_filters;

  test('one listener on 8081: jwt_authn then router, 200 when the token is valid', () => {
    expect(config.static_resources.listeners[0].address).toEqual({ socket_address: { address: '0.0.0.0', port_value: 8081 } });
    expect(manager['@type']).toBe(`${TYPE}.filters.network.http_connection_manager.v3.HttpConnectionManager`);
    expect(authn.typed_config['@type']).toBe(`${TYPE}.filters.http.jwt_authn.v3.JwtAuthentication`);
    expect(router.typed_config['@type']).toBe(`${TYPE}.filters.http.router.v3.Router`);
    expect(manager.route_config.virtual_hosts[0].routes).toEqual([{ match: { prefix: '/' }, direct_response: { status: 200 } }]);
  });

  test('the provider checks issuer and audiences against the remote JWKS; only the probe path needs no token', () => {
    const provider = authn.typed_config.providers.gateway;
    expect(provider).toMatchObject({ issuer: 'https://auth.example.com/', audiences: ['api'] });
    expect(provider.remote_jwks.http_uri).toEqual({ uri: 'https://auth.example.com:8443/keys', cluster: 'jwks', timeout: '5s' });
    expect(authn.typed_config.rules).toEqual([
      { match: { path: '/healthz' } },
      { match: { prefix: '/' }, requires: { provider_name: 'gateway' } },
    ]);
  });

  test('the JWKS cluster verifies the server certificate and name', () => {
    const [cluster] = config.static_resources.clusters;
    expect(cluster.name).toBe('jwks');
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: 'auth.example.com', port_value: 8443 });
    const tls = cluster.transport_socket.typed_config;
    expect(tls['@type']).toBe(`${TYPE}.transport_sockets.tls.v3.UpstreamTlsContext`);
    expect(tls.sni).toBe('auth.example.com');
    expect(tls.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([{ san_type: 'DNS', matcher: { exact: 'auth.example.com' } }]);
  });

  test('no audience configured means no audience check', () => {
    expect(renderJwtVerifierConfig({ ...jwt, audiences: [] }).static_resources.listeners[0].filter_chains[0].filters[0]
      .typed_config.http_filters[0].typed_config.providers.gateway.audiences).toBeUndefined();
  });

  test('the bootstrap is passed inline', () => {
    const args = jwtVerifierArgs(jwt);
    expect(args[0]).toBe('--config-yaml');
    expect(JSON.parse(args[1])).toEqual(config);
    expect(args.slice(2)).toEqual(['--disable-hot-restart']);
  });
});
