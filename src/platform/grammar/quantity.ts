/**
 * CPU and memory of a Kubernetes container, rendered as `<millicores>m` and `<n>Mi`. Kubernetes
 * resolves CPU to whole millicores (0.0004 would become a request of 0), and a container runtime
 * refuses memory limits of a few MiB (runc's minimum is 6 MiB; any real process needs more).
 */
export const MIN_KUBERNETES_CPU = 0.01;
export const MIN_KUBERNETES_MEMORY_MIB = 16;

/** Why `cpu` (cores) cannot be a container request, or undefined. */
export function kubernetesCpuProblem(cpu: number): string | undefined {
  if (!Number.isFinite(cpu) || cpu < MIN_KUBERNETES_CPU) return `is below ${MIN_KUBERNETES_CPU * 1000}m, too little for a container on kubernetes`;
  if (Math.abs(cpu * 1000 - Math.round(cpu * 1000)) > 1e-9) return 'is not a whole number of millicores';
  return undefined;
}

/** Why `memoryMiB` cannot be a container limit, or undefined. */
export function kubernetesMemoryProblem(memoryMiB: number): string | undefined {
  if (!Number.isInteger(memoryMiB)) return 'is not a whole number of MiB';
  if (memoryMiB < MIN_KUBERNETES_MEMORY_MIB) return `is below ${MIN_KUBERNETES_MEMORY_MIB} MiB, which a container runtime refuses or the process cannot start in`;
  return undefined;
}
