/**
 * How Traefik's configuration reaches a Fargate task, which has no ConfigMap: in environment
 * variables, written to files by the container's start script.
 *
 * ECS refuses a task definition over 64 KiB, and the dynamic configuration grows with every route
 * (about 0.6 KB each): it travels gzip-compressed and base64-encoded, about a tenth of its size,
 * and synthesis fails with the numbers when even that does not fit.
 */
import { gzipSync } from 'zlib';
import { DYNAMIC_CONFIG_FILE } from './traefik-static-config';

/** ECS's limit on a task definition (RegisterTaskDefinition). */
export const ECS_TASK_DEFINITION_MAX_BYTES = 64 * 1024;
/** What the encoded dynamic configuration may take, leaving room for the rest of the task definition. */
export const MAX_DYNAMIC_CONFIG_ENV_BYTES = 48 * 1024;

/** The dynamic configuration as its environment variable carries it. */
export function encodeDynamicConfig(yaml: string): string {
  return gzipSync(Buffer.from(yaml, 'utf8'), { level: 9 }).toString('base64');
}

/** Shell that writes both files under `configDir` from the environment, then starts Traefik (busybox sh, base64, gunzip). */
export function traefikStartScript(configDir: string): string {
  return [
    `mkdir -p ${configDir}/dynamic`,
    `printf '%s' "$TRAEFIK_STATIC_CONFIG" > ${configDir}/traefik.yaml`,
    `printf '%s' "$TRAEFIK_DYNAMIC_CONFIG" | base64 -d | gunzip -c > ${configDir}/dynamic/${DYNAMIC_CONFIG_FILE}`,
    `exec traefik --configFile=${configDir}/traefik.yaml`,
  ].join(' && ');
}

/** Why the encoded configuration cannot travel in the task definition, or nothing. */
export function dynamicConfigSizeProblems(path: string, yaml: string, encoded: string, routes: number): string[] {
  if (encoded.length <= MAX_DYNAMIC_CONFIG_ENV_BYTES) return [];
  return [`${path}: routes make a Traefik dynamic configuration of ${Buffer.byteLength(yaml)} bytes (${encoded.length} compressed) ` +
    `for ${routes} route(s) (got ${routes} routes): ECS accepts a task definition of at most ${ECS_TASK_DEFINITION_MAX_BYTES} bytes, ` +
    `${MAX_DYNAMIC_CONFIG_ENV_BYTES} of which the configuration may take; share middlewares between routes (gateway-wide policies), ` +
    'split the routes over several gateways, or render on Kubernetes, where the configuration is a ConfigMap'];
}
