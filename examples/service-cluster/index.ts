import { Construct } from 'constructs';
import { AcmeService } from './acme-service';
import { PlatformSecret, ServiceCluster } from '../../src';

/**
 * Two services written once: `catalog` answers the public API, `orders` calls it. Under a Stack this
 * is ECS Fargate behind internal load balancers; under a Chart it is Deployments, Services, HPAs,
 * PDBs and NetworkPolicies.
 */
export function defineServiceCluster(scope: Construct): void {
  const catalog = new AcmeService(scope, 'Catalog', {
    serviceName: 'catalog',
    team: 'merchandising',
    image: 'ghcr.io/acme/catalog:3.2.1',
    port: 8080,
    healthCheck: { path: '/healthz' },
    targetRequestsPerSecond: 200,
  });

  const orders = new ServiceCluster(scope, 'Orders', {
    image: 'ghcr.io/acme/orders@sha256:5f2d0a1e6c3b4a7988c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d',
    environment: { CATALOG_URL: catalog.endpoint.url, LOG_LEVEL: 'info' },
    secrets: { DATABASE_PASSWORD: PlatformSecret.named('orders-db', 'password') },
    metrics: { port: 9090, path: '/metrics' },
  });
  catalog.allowFrom(orders);
}
