import { SecurityGroupRule, securityGroupPaths } from '../../../src/platform/access/security-group-rules';

const rule = (id: string, direction: 'ingress' | 'egress', group: string, peer: string, fromPort: number, toPort = fromPort, protocol = 'tcp'): SecurityGroupRule => ({
  id, direction, group, fromPort, toPort, protocol, ...peer.includes('/') ? { cidr: peer } : { peerGroup: peer },
});

describe('security-group evaluation', () => {
  test('a group without egress rules reaches whatever admits it', () => {
    expect(securityGroupPaths([rule('In', 'ingress', 'db', 'app', 5432)])).toEqual([{ from: 'app', to: 'db', port: 5432, endPort: 5432, rules: ['In'] }]);
  });

  test('with egress rules, the source needs one towards the destination (its group or any range), ports intersected', () => {
    const ingress = rule('In', 'ingress', 'db', 'app', 5000, 6000);
    expect(securityGroupPaths([ingress, rule('Out', 'egress', 'app', 'cache', 5432)])).toEqual([]);
    expect(securityGroupPaths([ingress, rule('Out', 'egress', 'app', 'db', 5432, 7000)])).toEqual([{ from: 'app', to: 'db', port: 5432, endPort: 6000, rules: ['In', 'Out'] }]);
    expect(securityGroupPaths([ingress, rule('Out', 'egress', 'app', '0.0.0.0/0', 0, 65535, '-1')]).map(p => [p.port, p.endPort])).toEqual([[5000, 6000]]);
  });

  test('"disallow all" (an ICMP rule to 255.255.255.255/32) leaves a group without TCP egress', () => {
    const disallow = rule('Disallow', 'egress', 'app', '255.255.255.255/32', 252, 86, 'icmp');
    expect(securityGroupPaths([rule('In', 'ingress', 'db', 'app', 5432), disallow])).toEqual([]);
  });

  test('an address range admitted is an outside source; UDP is not evaluated', () => {
    expect(securityGroupPaths([rule('In', 'ingress', 'lb', '0.0.0.0/0', 443), rule('Dns', 'ingress', 'lb', '0.0.0.0/0', 53, 53, 'udp')]))
      .toEqual([{ fromPeer: 'cidr 0.0.0.0/0', to: 'lb', port: 443, endPort: 443, rules: ['In'] }]);
  });
});
