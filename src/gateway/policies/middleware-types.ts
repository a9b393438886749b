/**
 * The Traefik v3 HTTP middlewares a gateway accepts from users, with the fields each documents
 * (doc.traefik.io/traefik/v3.5/middlewares/http/; the tests check this table against the published
 * JSON schema of the file provider), and the ones it refuses with the reason.
 */
export const ACCEPTED_MIDDLEWARE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  addPrefix: ['prefix'],
  contentType: ['autoDetect'],
  forwardAuth: [
    'addAuthCookiesToResponse', 'address', 'authRequestHeaders', 'authResponseHeaders', 'authResponseHeadersRegex', 'forwardBody',
    'headerField', 'maxBodySize', 'maxResponseBodySize', 'preserveLocationHeader', 'preserveRequestMethod', 'tls', 'trustForwardHeader',
  ],
  grpcWeb: ['allowOrigins'],
  headers: [
    'accessControlAllowCredentials', 'accessControlAllowHeaders', 'accessControlAllowMethods', 'accessControlAllowOriginList',
    'accessControlAllowOriginListRegex', 'accessControlExposeHeaders', 'accessControlMaxAge', 'addVaryHeader', 'allowedHosts',
    'browserXssFilter', 'contentSecurityPolicy', 'contentSecurityPolicyReportOnly', 'contentTypeNosniff', 'customBrowserXSSValue',
    'customFrameOptionsValue', 'customRequestHeaders', 'customResponseHeaders', 'featurePolicy', 'forceSTSHeader', 'frameDeny',
    'hostsProxyHeaders', 'isDevelopment', 'permissionsPolicy', 'publicKey', 'referrerPolicy', 'sslForceHost', 'sslHost',
    'sslProxyHeaders', 'sslRedirect', 'sslTemporaryRedirect', 'stsIncludeSubdomains', 'stsPreload', 'stsSeconds',
  ],
  inFlightReq: ['amount', 'sourceCriterion'],
  passTLSClientCert: ['info', 'pem'],
  redirectRegex: ['permanent', 'regex', 'replacement'],
  replacePath: ['path'],
  replacePathRegex: ['regex', 'replacement'],
  stripPrefixRegex: ['regex'],
};

/** Middlewares the gateway refuses, and what to do instead. */
export const REFUSED_MIDDLEWARES: Readonly<Record<string, string>> = {
  basicAuth: 'its users would be written into the configuration: use the jwt prop, or forwardAuth to your own authenticator',
  digestAuth: 'its users would be written into the configuration: use the jwt prop, or forwardAuth to your own authenticator',
  buffering: 'use the maxRequestBodySize prop',
  chain: 'list the middlewares themselves',
  circuitBreaker: 'use the circuitBreaker prop',
  compress: 'use the compression prop',
  errors: 'it needs a Traefik service of its own, which the gateway does not define for you',
  ipAllowList: 'use the ipAllowList prop',
  ipWhiteList: 'use the ipAllowList prop (ipWhiteList is deprecated in Traefik v3)',
  plugin: 'plugins need Traefik\'s static configuration, which the gateway keeps to itself',
  rateLimit: 'use the rateLimit prop',
  redirectScheme: 'the gateway already redirects HTTP to HTTPS on port 443',
  retry: 'use the retry prop',
  stripPrefix: 'use the route\'s stripPrefix prop',
};
