import { JwtSpec } from './policies/jwt';

/** Port of the Envoy JWT verifier inside a gateway replica. */
export const JWT_VERIFIER_PORT = 8081;
/** Path the verifier answers without a token, for probes. */
export const JWT_VERIFIER_HEALTH_PATH = '/healthz';
/** The address Traefik's forwardAuth calls. */
export const JWT_SIDECAR_ADDRESS = `http://127.0.0.1:${JWT_VERIFIER_PORT}/verify`;

const TYPE = 'type.googleapis.com/envoy.extensions';

/**
 * The Envoy v3 bootstrap of the JWT verifier sidecar: one listener whose `jwt_authn` filter checks
 * the token's signature against the JWKS, its issuer, audiences and expiry, then answers 200
 * (Traefik lets the request through) or 401 (Traefik returns it to the client). Pure.
 */
export function renderJwtVerifierConfig(jwt: JwtSpec): Record<string, any> {
  const jwks = new URL(jwt.jwksUrl);
  const port = Number(jwks.port || 443);
  return {
    static_resources: {
      listeners: [{
        name: 'jwt_verifier',
        address: { socket_address: { address: '0.0.0.0', port_value: JWT_VERIFIER_PORT } },
        filter_chains: [{
          filters: [{
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': `${TYPE}.filters.network.http_connection_manager.v3.HttpConnectionManager`,
              'stat_prefix': 'jwt_verifier',
              'route_config': {
                virtual_hosts: [{
                  name: 'verifier',
                  domains: ['*'],
                  routes: [{ match: { prefix: '/' }, direct_response: { status: 200 } }],
                }],
              },
              'http_filters': [
                {
                  name: 'envoy.filters.http.jwt_authn',
                  typed_config: {
                    '@type': `${TYPE}.filters.http.jwt_authn.v3.JwtAuthentication`,
                    'providers': {
                      gateway: {
                        issuer: jwt.issuer,
                        ...(jwt.audiences.length > 0 ? { audiences: jwt.audiences } : {}),
                        remote_jwks: {
                          http_uri: { uri: jwt.jwksUrl, cluster: 'jwks', timeout: '5s' },
                          cache_duration: '600s',
                          // Fetch the keys at start-up, so the first request does not wait for them.
                          async_fetch: {},
                          retry_policy: { num_retries: 3 },
                        },
                        forward: true,
                      },
                    },
                    'rules': [
                      { match: { path: JWT_VERIFIER_HEALTH_PATH } },
                      { match: { prefix: '/' }, requires: { provider_name: 'gateway' } },
                    ],
                  },
                },
                { name: 'envoy.filters.http.router', typed_config: { '@type': `${TYPE}.filters.http.router.v3.Router` } },
              ],
            },
          }],
        }],
      }],
      clusters: [{
        name: 'jwks',
        type: 'LOGICAL_DNS',
        dns_lookup_family: 'V4_PREFERRED',
        connect_timeout: '5s',
        load_assignment: {
          cluster_name: 'jwks',
          endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: jwks.hostname, port_value: port } } } }] }],
        },
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: {
            '@type': `${TYPE}.transport_sockets.tls.v3.UpstreamTlsContext`,
            'sni': jwks.hostname,
            'common_tls_context': {
              validation_context: {
                trusted_ca: { filename: '/etc/ssl/certs/ca-certificates.crt' },
                match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: jwks.hostname } }],
              },
            },
          },
        },
      }],
    },
  };
}

/** Command-line arguments of the Envoy container: the bootstrap inline, no file to mount. */
export function jwtVerifierArgs(jwt: JwtSpec): string[] {
  return ['--config-yaml', JSON.stringify(renderJwtVerifierConfig(jwt)), '--disable-hot-restart'];
}
