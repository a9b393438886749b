import { Size } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ServiceCluster, ServiceClusterAwsResources, ServiceClusterKubernetesResources, ServiceClusterProps } from '../../src';

/**
 * An organisation's ServiceCluster: Acme runs three replicas of 1 vCPU / 2 GiB by default, tags every
 * service with its team, and annotates Deployments for its cost report. Teams use it in place of
 * ServiceCluster and still override any default.
 */
export class AcmeService extends ServiceCluster {
  constructor(scope: Construct, id: string, props: ServiceClusterProps & { readonly team: string }) {
    super(scope, id, { ...props, environment: { ACME_TEAM: props.team, ...props.environment } });
  }

  protected applyDefaults(props: ServiceClusterProps): ServiceClusterProps {
    return {
      minReplicas: 3,
      maxReplicas: 20,
      cpu: 1,
      memory: Size.gibibytes(2),
      targetCpuUtilization: 60,
      ...props,
      environment: { OTEL_SERVICE_NAME: props.serviceName ?? 'unknown', ...props.environment },
    };
  }

  protected configureAws(resources: ServiceClusterAwsResources): void {
    resources.service.node.addMetadata('acme:cost-report', 'enabled');
  }

  protected configureKubernetes(resources: ServiceClusterKubernetesResources): void {
    resources.deployment.metadata.addAnnotation('acme.example/cost-report', 'enabled');
  }
}
