import { k8s } from 'cdk8s-plus-27';

/** Private, link-local and metadata ranges: never "the internet", always somebody's internal network. */
export const NON_PUBLIC_IPV4_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/**
 * The public IPv4 internet as a NetworkPolicy ipBlock: everything except private ranges, so an
 * egress rule meant for a public endpoint (a JWKS, S3) cannot reach pods, nodes or the cloud's
 * metadata service.
 */
export function publicInternetIpBlock(): k8s.IpBlock {
  return { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_IPV4_RANGES] };
}
