/**
 * Erlang distribution over TLS between the RabbitMQ nodes (and from the CLI tools to a node):
 * the `-ssl_dist_optfile` in Erlang term format. Both sides present the broker certificate and
 * verify the other's against the CA, so a pod without the certificate cannot join or control a node.
 */
export function renderInterNodeTlsConfig(tlsDir: string): string {
  const files = [`{cacertfile, "${tlsDir}/ca.crt"}`, `{certfile, "${tlsDir}/tls.crt"}`, `{keyfile, "${tlsDir}/tls.key"}`];
  const side = (name: string, extra: string[]) => `  {${name}, [\n${[...files, '{secure_renegotiate, true}', '{verify, verify_peer}', ...extra].map(o => `    ${o}`).join(',\n')}\n  ]}`;
  return `[\n${side('server', ['{fail_if_no_peer_cert, true}'])},\n${side('client', [])}\n].\n`;
}

/** Erlang VM arguments that switch the distribution to TLS with `optFile`. */
export function interNodeTlsErlArgs(optFile: string): string {
  return `-proto_dist inet_tls -ssl_dist_optfile ${optFile}`;
}
