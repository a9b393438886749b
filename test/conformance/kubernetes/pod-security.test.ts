import { goodManifests, hardenedContainerSecurityContext, podTemplate, withDeployment } from './fixtures';
import { checkPodSecurity, podSecurityRules } from './pod-security';

const CONTAINER = 'spec.template.spec.containers[0]';
const POD = 'spec.template.spec';

/** Messages of the given rule's findings for the good Deployment after `edit`. */
function violations(rule: string, edit: (pod: any) => void): string[] {
  const [d] = withDeployment((dep) => edit(dep.spec.template));
  return checkPodSecurity(d).filter((f) => f.rule === rule).map((f) => f.message);
}
/** The good Deployment after `edit` has no pod-security findings at all. */
function clean(edit: (pod: any) => void): void {
  const [d] = withDeployment((dep) => edit(dep.spec.template));
  expect(checkPodSecurity(d)).toEqual([]);
}
const main = (pod: any) => pod.spec.containers[0];

test('the hardened fixture satisfies every restricted-profile rule', () => {
  expect(goodManifests().flatMap(checkPodSecurity)).toEqual([]);
  expect(podSecurityRules.map((r) => r.id)).toHaveLength(new Set(podSecurityRules.map((r) => r.id)).size);
});

describe('baseline', () => {
  test('HostProcess', () => {
    expect(violations('PodSecurity-HostProcess', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }))
      .toEqual([`${POD}.securityContext.windowsOptions.hostProcess: must be unset or false`]);
  });

  test('host namespaces', () => {
    expect(violations('PodSecurity-HostNamespaces', (p) => Object.assign(p.spec, { hostNetwork: true, hostPID: true, hostIPC: true })))
      .toEqual(['hostNetwork', 'hostPID', 'hostIPC'].map((f) => `${POD}.${f}: must be unset or false (host namespaces are forbidden)`));
    clean((p) => Object.assign(p.spec, { hostNetwork: false }));
  });

  test('privileged containers', () => {
    expect(violations('PodSecurity-Privileged', (p) => { main(p).securityContext.privileged = true; }))
      .toEqual([`${CONTAINER}.securityContext.privileged: must be unset or false`]);
  });

  test('capabilities outside the baseline set', () => {
    expect(violations('PodSecurity-Capabilities', (p) => { main(p).securityContext.capabilities.add = ['SYS_ADMIN']; }))
      .toEqual([expect.stringMatching(/capabilities\.add\[0\]: adds SYS_ADMIN, which even the baseline profile forbids/)]);
  });

  test('hostPath volumes', () => {
    const found = violations('PodSecurity-HostPathVolumes', (p) => { p.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); });
    expect(found).toEqual([`${POD}.volumes[1].hostPath: volume "docker" mounts a host path`]);
  });

  test('host ports', () => {
    expect(violations('PodSecurity-HostPorts', (p) => { main(p).ports[0].hostPort = 80; }))
      .toEqual([`${CONTAINER}.ports[0].hostPort: must be unset or 0, got 80`]);
    clean((p) => { main(p).ports[0].hostPort = 0; });
  });

  test('AppArmor annotations', () => {
    const key = 'container.apparmor.security.beta.kubernetes.io/api';
    expect(violations('PodSecurity-AppArmor', (p) => { p.metadata.annotations = { [key]: 'unconfined' }; }))
      .toEqual([`spec.template.metadata.annotations["${key}"]: AppArmor profile "unconfined" must be runtime/default or localhost/*`]);
    clean((p) => { p.metadata.annotations = { [key]: 'runtime/default', [`${key}-init`]: 'localhost/k8s-api' }; });
  });

  test('SELinux options', () => {
    const found = violations('PodSecurity-SELinux', (p) => {
      p.spec.securityContext.seLinuxOptions = { type: 'spc_t' };
      main(p).securityContext.seLinuxOptions = { user: 'system_u', role: 'sysadm_r' };
    });
    expect(found).toEqual([
      `${POD}.securityContext.seLinuxOptions.type: SELinux type "spc_t" is not allowed`,
      `${CONTAINER}.securityContext.seLinuxOptions.user: must be unset`,
      `${CONTAINER}.securityContext.seLinuxOptions.role: must be unset`,
    ]);
    clean((p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' }; });
  });

  test('/proc mount type', () => {
    expect(violations('PodSecurity-ProcMount', (p) => { main(p).securityContext.procMount = 'Unmasked'; }))
      .toEqual([`${CONTAINER}.securityContext.procMount: must be unset or "Default", got "Unmasked"`]);
  });

  test('sysctls outside the safe set', () => {
    expect(violations('PodSecurity-Sysctls', (p) => {
      p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'kernel.msgmax', value: '65536' }];
    })).toEqual([`${POD}.securityContext.sysctls[1].name: sysctl kernel.msgmax is not in the safe set`]);
  });
});

describe('restricted', () => {
  test('volume types outside the allow list', () => {
    const found = violations('PodSecurity-VolumeTypes', (p) => {
      p.spec.volumes.push({ name: 'nfs', nfs: { server: 'nfs.local', path: '/export' } }, { name: 'cfg', configMap: { name: 'cfg' } });
    });
    expect(found).toEqual([`${POD}.volumes[1].nfs: volume "nfs" uses type nfs, not allowed by the restricted profile`]);
  });

  test('allowPrivilegeEscalation must be explicitly false', () => {
    expect(violations('PodSecurity-PrivilegeEscalation', (p) => { delete main(p).securityContext.allowPrivilegeEscalation; }))
      .toEqual([`${CONTAINER}.securityContext.allowPrivilegeEscalation: must be false`]);
  });

  test('runAsNonRoot: pod level, per container, and no container override to false', () => {
    expect(violations('PodSecurity-RunAsNonRoot', (p) => { delete p.spec.securityContext.runAsNonRoot; })).toEqual([
      `${CONTAINER}.securityContext.runAsNonRoot: must be true here or at pod level`,
      `${POD}.initContainers[0].securityContext.runAsNonRoot: must be true here or at pod level`,
    ]);
    expect(violations('PodSecurity-RunAsNonRoot', (p) => { main(p).securityContext.runAsNonRoot = false; }))
      .toEqual([`${CONTAINER}.securityContext.runAsNonRoot: must not be false`]);
    clean((p) => {
      delete p.spec.securityContext.runAsNonRoot;
      for (const c of [...p.spec.containers, ...p.spec.initContainers]) c.securityContext.runAsNonRoot = true;
    });
  });

  test('runAsUser 0', () => {
    expect(violations('PodSecurity-RunAsUser', (p) => { p.spec.securityContext.runAsUser = 0; main(p).securityContext.runAsUser = 0; })).toEqual([
      `${POD}.securityContext.runAsUser: must not be 0 (root)`,
      `${CONTAINER}.securityContext.runAsUser: must not be 0 (root)`,
    ]);
  });

  test('seccomp: Unconfined is forbidden, and the profile must be set somewhere', () => {
    expect(violations('PodSecurity-Seccomp', (p) => { main(p).securityContext.seccompProfile = { type: 'Unconfined' }; }))
      .toEqual([`${CONTAINER}.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, got "Unconfined"`]);
    expect(violations('PodSecurity-Seccomp', (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; }))
      .toEqual([`${POD}.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost, got "Unconfined"`]);
    expect(violations('PodSecurity-Seccomp', (p) => { delete p.spec.securityContext.seccompProfile; }))
      .toContain(`${CONTAINER}.securityContext.seccompProfile.type: must be set (RuntimeDefault or Localhost) here or at pod level`);
    clean((p) => {
      delete p.spec.securityContext.seccompProfile;
      main(p).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/api.json' };
      p.spec.initContainers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
    });
  });

  test('capabilities: must drop ALL and may add only NET_BIND_SERVICE', () => {
    expect(violations('PodSecurity-Capabilities', (p) => { main(p).securityContext.capabilities = { drop: ['NET_RAW'], add: ['CHOWN'] }; })).toEqual([
      `${CONTAINER}.securityContext.capabilities.drop: must include "ALL"`,
      `${CONTAINER}.securityContext.capabilities.add[0]: adds CHOWN; restricted allows adding only NET_BIND_SERVICE`,
    ]);
    clean((p) => { main(p).securityContext.capabilities.add = ['NET_BIND_SERVICE']; });
  });
});

describe('coverage of containers and workload kinds', () => {
  test('initContainers and ephemeralContainers are checked too', () => {
    const found = violations('PodSecurity-Privileged', (p) => {
      p.spec.initContainers[0].securityContext.privileged = true;
      p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { ...hardenedContainerSecurityContext(), privileged: true } }];
    });
    expect(found).toEqual([
      `${POD}.initContainers[0].securityContext.privileged: must be unset or false`,
      `${POD}.ephemeralContainers[0].securityContext.privileged: must be unset or false`,
    ]);
  });

  const template = () => {
    const t = podTemplate();
    t.spec.containers[0].securityContext.privileged = true;
    return t;
  };
  test.each([
    ['v1', 'Pod', () => ({ metadata: { name: 'p' }, spec: template().spec }), 'spec.containers[0]'],
    ['apps/v1', 'Deployment', () => ({ metadata: { name: 'd' }, spec: { template: template() } }), `${CONTAINER}`],
    ['apps/v1', 'StatefulSet', () => ({ metadata: { name: 's' }, spec: { template: template() } }), `${CONTAINER}`],
    ['apps/v1', 'DaemonSet', () => ({ metadata: { name: 'ds' }, spec: { template: template() } }), `${CONTAINER}`],
    ['apps/v1', 'ReplicaSet', () => ({ metadata: { name: 'rs' }, spec: { template: template() } }), `${CONTAINER}`],
    ['batch/v1', 'Job', () => ({ metadata: { name: 'j' }, spec: { template: template() } }), `${CONTAINER}`],
    ['batch/v1', 'CronJob', () => ({ metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: template() } } } }), 'spec.jobTemplate.spec.template.spec.containers[0]'],
  ])('%s %s is checked', (apiVersion, kind, body, containerPath) => {
    const findings = checkPodSecurity({ apiVersion, kind, ...body() });
    expect(findings.map((f) => f.message)).toEqual([`${containerPath}.securityContext.privileged: must be unset or false`]);
  });

  test('kinds without a pod template are ignored', () => {
    expect(checkPodSecurity({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual([]);
  });
});
