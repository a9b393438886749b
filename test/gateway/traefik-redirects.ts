/**
 * Where a Traefik HTTP→HTTPS redirect sends clients, checked against what the Kubernetes Service
 * exposes. Traefik's `entryPoints.<ep>.http.redirections.entryPoint.to` takes an entry point name
 * or a port (`:443`); a name redirects to that entry point's own (container) address port
 * (doc.traefik.io/traefik/v3.5/routing/entrypoints/#redirection), which behind a Service that
 * maps 443 → 8443 is a port no client can reach.
 */

/** The port a redirection targets: `:443` as written, or the port of the named entry point's address. */
export function redirectTargetPort(staticConfig: any, to: string | number): number | undefined {
  if (typeof to === 'number') return to;
  const literal = /^:(\d+)$/.exec(to);
  if (literal) return Number(literal[1]);
  return addressPort(staticConfig.entryPoints?.[to]?.address);
}

/** The port of an entry point address such as `:8443` or `:8443/tcp`. */
function addressPort(address: string | undefined): number | undefined {
  const port = address === undefined ? null : /:(\d+)(\/\w+)?$/.exec(address);
  return port ? Number(port[1]) : undefined;
}

/**
 * Problems with every redirection of `staticConfig`: its target must be a port of `service`, and
 * that Service port must lead (through its targetPort, by name via `containerPorts`) to an entry
 * point that terminates TLS.
 */
export function redirectProblems(staticConfig: any, service: any, containerPorts: ReadonlyArray<{ name?: string; containerPort: number }>): string[] {
  const problems: string[] = [];
  const servicePorts: any[] = service.spec?.ports ?? [];
  const entryPointOnPort = (port: number) => Object.entries<any>(staticConfig.entryPoints ?? {}).find(([, ep]) => addressPort(ep.address) === port);
  for (const [name, ep] of Object.entries<any>(staticConfig.entryPoints ?? {})) {
    const redirection = ep.http?.redirections?.entryPoint;
    if (!redirection) continue;
    const target = redirectTargetPort(staticConfig, redirection.to);
    if (target === undefined) {
      problems.push(`entry point ${name}: redirect target ${JSON.stringify(redirection.to)} is neither a port nor an entry point`);
      continue;
    }
    const exposed = servicePorts.find(p => p.port === target);
    if (!exposed) {
      problems.push(`entry point ${name}: redirects to port ${target}, which Service ${service.metadata?.name} does not expose ` +
        `(it exposes ${servicePorts.map(p => p.port).join(', ')})`);
      continue;
    }
    const targetPort = exposed.targetPort ?? exposed.port;
    const container = typeof targetPort === 'number' ? targetPort : containerPorts.find(p => p.name === targetPort)?.containerPort;
    const served = container === undefined ? undefined : entryPointOnPort(container);
    if (!served) {
      problems.push(`entry point ${name}: Service port ${target} leads to container port ${JSON.stringify(targetPort)}, where no entry point listens`);
    } else if (!served[1].http?.tls) {
      problems.push(`entry point ${name}: Service port ${target} leads to entry point ${served[0]}, which does not terminate TLS`);
    }
  }
  return problems;
}
