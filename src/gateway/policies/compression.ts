import { ChainStep } from './chain';

/** The Traefik `compress` middleware: small answers are not worth compressing. */
export function compressionMiddleware() {
  return { compress: { minResponseBodyBytes: 1024 } };
}

export const compressionLinks: ChainStep = route => route.compression ? [{ name: 'compress', definition: compressionMiddleware }] : [];
