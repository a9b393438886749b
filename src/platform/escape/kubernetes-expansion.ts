/**
 * Kubernetes expands `$(NAME)` in a container's `env[].value`, `command` and `args` to the value
 * of an earlier variable — a Secret's too — and reads `$$` as `$`. AWS passes the same strings
 * through untouched. Doubling every `$` makes Kubernetes pass them through as well: the same props
 * mean the same on both targets, and no user string can pull a secret into another variable.
 */
export function kubernetesExpansionLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Each string of a command or argument list, as `kubernetesExpansionLiteral`. */
export function kubernetesExpansionLiterals(values: readonly string[] | undefined): string[] | undefined {
  return values?.map(kubernetesExpansionLiteral);
}
