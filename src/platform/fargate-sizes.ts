/** The cpu (vCPU) → memory (MiB) pairs Fargate offers. */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; from: number; to: number; step: number }> = [
  { cpu: 0.25, from: 512, to: 2048, step: 512 },
  { cpu: 0.5, from: 1024, to: 4096, step: 1024 },
  { cpu: 1, from: 2048, to: 8192, step: 1024 },
  { cpu: 2, from: 4096, to: 16384, step: 1024 },
  { cpu: 4, from: 8192, to: 30720, step: 1024 },
  { cpu: 8, from: 16384, to: 61440, step: 4096 },
  { cpu: 16, from: 32768, to: 122880, step: 8192 },
];

/** Whether Fargate offers this cpu/memory pair. */
export function isFargateSize(cpu: number, memoryMiB: number): boolean {
  const row = FARGATE_SIZES.find(r => r.cpu === cpu);
  if (!row) return false;
  if (cpu === 0.25 && memoryMiB === 512) return true;
  return memoryMiB >= row.from && memoryMiB <= row.to && (memoryMiB - row.from) % row.step === 0;
}

/** Human-readable list of the memory sizes Fargate offers for `cpu`, or of the valid cpu values. */
export function describeFargateSizes(cpu: number): string {
  const row = FARGATE_SIZES.find(r => r.cpu === cpu);
  if (!row) return `Fargate cpu is one of ${FARGATE_SIZES.map(r => r.cpu).join(', ')} vCPU`;
  const first = cpu === 0.25 ? 512 : row.from;
  return `with ${cpu} vCPU Fargate offers ${first}-${row.to} MiB in steps of ${row.step} MiB`;
}

/**
 * The smallest Fargate size with at least `cpu` vCPU and `memoryMiB` MiB: what a task needs when
 * sidecars join its application container. Undefined above the largest size.
 */
export function fargateSizeFor(cpu: number, memoryMiB: number): { cpu: number; memoryMiB: number } | undefined {
  for (const row of FARGATE_SIZES) {
    if (row.cpu < cpu) continue;
    const first = row.cpu === 0.25 ? 512 : row.from;
    const memory = memoryMiB <= first ? first : row.from + Math.ceil((memoryMiB - row.from) / row.step) * row.step;
    if (memory <= row.to) return { cpu: row.cpu, memoryMiB: memory };
  }
  return undefined;
}
