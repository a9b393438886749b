/**
 * Pod Security Standards, "restricted" profile (which includes "baseline"), as documented for
 * Kubernetes 1.27: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 *
 * Every rule is a pure function of one pod template and checks containers, initContainers and
 * ephemeralContainers. Deliberate simplification: the restricted profile's exemptions for
 * `spec.os.name: windows` are not modelled; this library only renders Linux pods.
 */
import { Finding, Rule, Violation, joinPath, runRules } from './types';
import { ContainerRef, PodTemplate, containersOf, podTemplateOf } from './workloads';

export type PodSecurityRule = Rule<PodTemplate>;

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', // the last since 1.27
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const at = (pod: PodTemplate, path: string, problem: string): Violation => ({ object: pod.object, path, message: `${path}: ${problem}` });
const podSc = (pod: PodTemplate): Record<string, any> => pod.spec.securityContext ?? {};
const podScPath = (pod: PodTemplate, field: string): string => joinPath(pod.specPath, 'securityContext', ...field.split('.'));
const sc = (c: ContainerRef): Record<string, any> => c.container.securityContext ?? {};
const scPath = (c: ContainerRef, field: string): string => joinPath(c.path, 'securityContext', ...field.split('.'));

/** Applies `check` to every container (regular, init, ephemeral) of the pod. */
function perContainer(check: (c: ContainerRef, pod: PodTemplate) => Violation[]): (pod: PodTemplate) => Violation[] {
  return (pod) => containersOf(pod).flatMap((c) => check(c, pod));
}

export const hostProcess: PodSecurityRule = {
  id: 'PodSecurity-HostProcess',
  description: 'Windows HostProcess containers are forbidden',
  check: (pod) => [
    ...(podSc(pod).windowsOptions?.hostProcess === true ? [at(pod, podScPath(pod, 'windowsOptions.hostProcess'), 'must be unset or false')] : []),
    ...perContainer((c) => (sc(c).windowsOptions?.hostProcess === true ? [at(pod, scPath(c, 'windowsOptions.hostProcess'), 'must be unset or false')] : []))(pod),
  ],
};

export const hostNamespaces: PodSecurityRule = {
  id: 'PodSecurity-HostNamespaces',
  description: 'sharing the host network, PID or IPC namespace is forbidden',
  check: (pod) => ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((field) => pod.spec[field] === true)
    .map((field) => at(pod, joinPath(pod.specPath, field), 'must be unset or false (host namespaces are forbidden)')),
};

export const privileged: PodSecurityRule = {
  id: 'PodSecurity-Privileged',
  description: 'privileged containers are forbidden',
  check: perContainer((c, pod) => (sc(c).privileged === true ? [at(pod, scPath(c, 'privileged'), 'must be unset or false')] : [])),
};

export const capabilities: PodSecurityRule = {
  id: 'PodSecurity-Capabilities',
  description: 'containers drop ALL capabilities and add back at most NET_BIND_SERVICE',
  check: perContainer((c, pod) => {
    const caps = sc(c).capabilities ?? {};
    const found: Violation[] = [];
    if (!(caps.drop ?? []).includes('ALL')) found.push(at(pod, scPath(c, 'capabilities.drop'), 'must include "ALL"'));
    (caps.add ?? []).forEach((cap: string, i: number) => {
      const path = joinPath(scPath(c, 'capabilities.add'), i);
      if (!BASELINE_CAPABILITIES.has(cap)) found.push(at(pod, path, `adds ${cap}, which even the baseline profile forbids`));
      else if (cap !== 'NET_BIND_SERVICE') found.push(at(pod, path, `adds ${cap}; restricted allows adding only NET_BIND_SERVICE`));
    });
    return found;
  }),
};

export const hostPathVolumes: PodSecurityRule = {
  id: 'PodSecurity-HostPathVolumes',
  description: 'hostPath volumes are forbidden',
  check: (pod) => volumesOf(pod)
    .filter(({ volume }) => volume.hostPath !== undefined)
    .map(({ volume, path }) => at(pod, joinPath(path, 'hostPath'), `volume "${volume.name}" mounts a host path`)),
};

export const volumeTypes: PodSecurityRule = {
  id: 'PodSecurity-VolumeTypes',
  description: `volumes are limited to ${[...RESTRICTED_VOLUME_TYPES].join(', ')}`,
  check: (pod) => volumesOf(pod).flatMap(({ volume, path }) => Object.keys(volume)
    .filter((type) => type !== 'name' && !RESTRICTED_VOLUME_TYPES.has(type))
    .map((type) => at(pod, joinPath(path, type), `volume "${volume.name}" uses type ${type}, not allowed by the restricted profile`))),
};

export const hostPorts: PodSecurityRule = {
  id: 'PodSecurity-HostPorts',
  description: 'containers must not bind host ports',
  check: perContainer((c, pod) => ((c.container.ports ?? []) as any[]).flatMap((port, i) => (port?.hostPort
    ? [at(pod, joinPath(c.path, 'ports', i, 'hostPort'), `must be unset or 0, got ${port.hostPort}`)] : []))),
};

export const appArmor: PodSecurityRule = {
  id: 'PodSecurity-AppArmor',
  description: 'AppArmor profiles may only be runtime/default or localhost/*',
  check: (pod) => Object.entries(pod.annotations)
    .filter(([key, value]) => key.startsWith(APPARMOR_PREFIX) && !(value === '' || value === 'runtime/default' || String(value).startsWith('localhost/')))
    .map(([key, value]) => at(pod, joinPath(pod.metadataPath, 'annotations', key), `AppArmor profile "${value}" must be runtime/default or localhost/*`)),
};

export const seLinux: PodSecurityRule = {
  id: 'PodSecurity-SELinux',
  description: 'SELinux type limited to container_t/container_init_t/container_kvm_t; user and role unset',
  check: (pod) => [
    ...seLinuxProblems(pod, podSc(pod).seLinuxOptions, podScPath(pod, 'seLinuxOptions')),
    ...perContainer((c) => seLinuxProblems(pod, sc(c).seLinuxOptions, scPath(c, 'seLinuxOptions')))(pod),
  ],
};

export const procMount: PodSecurityRule = {
  id: 'PodSecurity-ProcMount',
  description: 'the default /proc mask is required',
  check: perContainer((c, pod) => (sc(c).procMount !== undefined && sc(c).procMount !== 'Default'
    ? [at(pod, scPath(c, 'procMount'), `must be unset or "Default", got "${sc(c).procMount}"`)] : [])),
};

export const seccomp: PodSecurityRule = {
  id: 'PodSecurity-Seccomp',
  description: 'seccomp profile RuntimeDefault or Localhost on the pod or on every container; Unconfined forbidden',
  check: (pod) => {
    const podType = podSc(pod).seccompProfile?.type;
    const found: Violation[] = [];
    if (podType !== undefined && !SECCOMP_OK.has(podType)) {
      found.push(at(pod, podScPath(pod, 'seccompProfile.type'), `must be RuntimeDefault or Localhost, got "${podType}"`));
    }
    for (const c of containersOf(pod)) {
      const type = sc(c).seccompProfile?.type;
      if (type !== undefined && !SECCOMP_OK.has(type)) {
        found.push(at(pod, scPath(c, 'seccompProfile.type'), `must be RuntimeDefault or Localhost, got "${type}"`));
      } else if (type === undefined && podType === undefined) {
        found.push(at(pod, scPath(c, 'seccompProfile.type'), 'must be set (RuntimeDefault or Localhost) here or at pod level'));
      }
    }
    return found;
  },
};

export const sysctls: PodSecurityRule = {
  id: 'PodSecurity-Sysctls',
  description: `only the safe sysctl set is allowed (${[...SAFE_SYSCTLS].join(', ')})`,
  check: (pod) => ((podSc(pod).sysctls ?? []) as any[]).flatMap((s, i) => (SAFE_SYSCTLS.has(s?.name)
    ? [] : [at(pod, joinPath(podScPath(pod, 'sysctls'), i, 'name'), `sysctl ${s?.name} is not in the safe set`)])),
};

export const privilegeEscalation: PodSecurityRule = {
  id: 'PodSecurity-PrivilegeEscalation',
  description: 'allowPrivilegeEscalation must be false on every container',
  check: perContainer((c, pod) => (sc(c).allowPrivilegeEscalation === false ? [] : [at(pod, scPath(c, 'allowPrivilegeEscalation'), 'must be false')])),
};

export const runAsNonRoot: PodSecurityRule = {
  id: 'PodSecurity-RunAsNonRoot',
  description: 'runAsNonRoot true at pod level (not overridden) or on every container',
  check: (pod) => {
    const podValue = podSc(pod).runAsNonRoot;
    const found: Violation[] = podValue === false ? [at(pod, podScPath(pod, 'runAsNonRoot'), 'must not be false')] : [];
    for (const c of containersOf(pod)) {
      const value = sc(c).runAsNonRoot;
      if (value === false) found.push(at(pod, scPath(c, 'runAsNonRoot'), 'must not be false'));
      else if (value === undefined && podValue !== true) found.push(at(pod, scPath(c, 'runAsNonRoot'), 'must be true here or at pod level'));
    }
    return found;
  },
};

export const runAsUser: PodSecurityRule = {
  id: 'PodSecurity-RunAsUser',
  description: 'runAsUser must not be 0 (root)',
  check: (pod) => [
    ...(podSc(pod).runAsUser === 0 ? [at(pod, podScPath(pod, 'runAsUser'), 'must not be 0 (root)')] : []),
    ...perContainer((c) => (sc(c).runAsUser === 0 ? [at(pod, scPath(c, 'runAsUser'), 'must not be 0 (root)')] : []))(pod),
  ],
};

export const podSecurityRules: readonly PodSecurityRule[] = [
  hostProcess, hostNamespaces, privileged, capabilities, hostPathVolumes, volumeTypes, hostPorts,
  appArmor, seLinux, procMount, seccomp, sysctls, privilegeEscalation, runAsNonRoot, runAsUser,
];

/** All restricted-profile findings for one manifest ([] for kinds that carry no pod template). */
export function checkPodSecurity(obj: any): Finding[] {
  const pod = podTemplateOf(obj);
  return pod ? runRules(podSecurityRules, pod) : [];
}

function volumesOf(pod: PodTemplate): { volume: Record<string, any>; path: string }[] {
  const volumes: unknown = pod.spec.volumes;
  return Array.isArray(volumes) ? volumes.map((volume, i) => ({ volume: volume ?? {}, path: joinPath(pod.specPath, 'volumes', i) })) : [];
}

function seLinuxProblems(pod: PodTemplate, options: any, path: string): Violation[] {
  if (!options) return [];
  const found: Violation[] = [];
  if (options.type !== undefined && !SELINUX_TYPES.has(options.type)) {
    found.push(at(pod, joinPath(path, 'type'), `SELinux type "${options.type}" is not allowed`));
  }
  for (const field of ['user', 'role']) {
    if (options[field]) found.push(at(pod, joinPath(path, field), 'must be unset'));
  }
  return found;
}
