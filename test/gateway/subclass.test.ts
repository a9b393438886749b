import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CERTIFICATE_ARN } from './fixtures';
import { Gateway, GatewayAwsResources, GatewayKubernetesResources, GatewayProps, RouteTarget, TlsSource } from '../../src/gateway';
import { ServiceCluster } from '../../src/service-cluster';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** An organisation's gateway: its own CORS origin, rate limit and TLS issuer by default, tagged resources. */
class AcmeGateway extends Gateway {
  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id, props);
  }

  protected applyDefaults(props: GatewayProps): GatewayProps {
    return {
      cors: { allowOrigins: ['https://app.acme.example'] },
      rateLimit: { average: 50 },
      minReplicas: 3,
      ...props,
      kubernetes: { tls: TlsSource.certManager({ issuerName: 'acme-issuer' }), ...props.kubernetes },
    };
  }

  protected configureAws(resources: GatewayAwsResources): void {
    resources.loadBalancer.setAttribute('routing.http.xff_header_processing.mode', 'append');
  }

  protected configureKubernetes(resources: GatewayKubernetesResources): void {
    resources.service.metadata.addAnnotation('service.beta.kubernetes.io/aws-load-balancer-type', 'nlb');
  }
}

describe('subclassing Gateway', () => {
  test('org defaults and the Kubernetes hook apply; the caller still wins', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new AcmeGateway(chart, 'Api', { domainName: 'api.acme.example', routes: [{ pathPrefix: '/v1', target: RouteTarget.service(users) }], rateLimit: { average: 7 } });
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Service', 'api').metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
    expect(findObject(manifests, 'Certificate', 'api').spec.issuerRef.name).toBe('acme-issuer');
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'api').spec.minReplicas).toBe(3);
    const dynamic = findObject(manifests, 'ConfigMap', 'api-dynamic').data['dynamic.yaml'];
    expect(dynamic).toContain('https://app.acme.example');
    expect(dynamic).toMatch(/average: 7\n/);
  });

  test('the AWS hook adjusts the load balancer', () => {
    const stack = awsStack();
    new AcmeGateway(stack, 'Api', { aws: { certificate: acm.Certificate.fromCertificateArn(stack, 'C', CERTIFICATE_ARN) } });
    const attributes = Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))
      .flatMap((lb: any) => lb.Properties.LoadBalancerAttributes);
    expect(attributes).toContainEqual({ Key: 'routing.http.xff_header_processing.mode', Value: 'append' });
  });

  test('validation still applies to what the defaults produce', () => {
    class Broken extends Gateway {
      protected applyDefaults(props: GatewayProps): GatewayProps {
        return { ...props, rateLimit: { average: -1 } };
      }
    }
    expect(() => new Broken(kubernetesChart(), 'Api', { kubernetes: { tls: TlsSource.secret('t') } })).toThrow(/Api: rateLimit.average must be a positive integer/);
  });
});
