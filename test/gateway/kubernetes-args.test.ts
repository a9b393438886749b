import { smallGateway } from './fixtures';
import { JwtVerifier } from '../../src/gateway';
import { expandKubernetes } from '../conformance/languages/kubernetes-expansion';
import { findObject, kubernetesChart, manifestsOf } from '../util';

describe('Gateway on Kubernetes: the JWT verifier gets the issuer and audiences as written', () => {
  test('"$$" and "$(…)" in an issuer survive the kubelet\'s expansion', () => {
    const chart = kubernetesChart();
    const issuer = 'https://auth.example.com/$$tenant/$(HOME)';
    smallGateway(chart, {
      jwt: { issuer, jwksUrl: 'https://auth.example.com/jwks.json', audiences: ['api$$'], verifier: JwtVerifier.sidecar() },
    });
    const pod = findObject(manifestsOf(chart), 'Deployment', 'api').spec.template.spec;
    const verifier = pod.containers.find((c: any) => c.name === 'jwt-verifier');
    const args: string[] = verifier.args.map((a: string) => expandKubernetes(a, { HOME: '/home/x' }));
    const config = JSON.parse(args[args.indexOf('--config-yaml') + 1]);
    expect(JSON.stringify(config)).toContain(JSON.stringify(issuer).slice(1, -1));
    expect(JSON.stringify(config)).toContain('"api$$"');
  });
});
