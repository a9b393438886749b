import type { AccessPath } from './access-path';

/** `8080`, or `1024-65535` for a range. */
export function portText(path: Pick<AccessPath, 'port' | 'endPort'>): string {
  return path.port === path.endPort ? String(path.port) : `${path.port}-${path.endPort}`;
}
