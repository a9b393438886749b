/**
 * A container image reference as the distribution project parses it
 * (github.com/distribution/reference, regexp.go): `[registry[:port]/]path[:tag][@digest]`, where
 * the path components are lowercase, the tag is `[\w][\w.-]{0,127}`, and a digest is
 * `algorithm:hex` (sha256 with exactly 64 hex digits). The registry may have upper case; the
 * repository path never.
 */
const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of `value`, or undefined when it is not a valid reference. */
export function parseImageReference(value: string): ImageReference | undefined {
  if (value.length > 255 + 128 + 72) return undefined;
  const m = REFERENCE.exec(value);
  if (!m) return undefined;
  let registry: string | undefined = m[1];
  let repository = m[2];
  // A first component without ".", ":" or "localhost" is part of the path (docker.io/library).
  if (registry !== undefined && !/[.:[]/.test(registry) && registry !== 'localhost') {
    if (registry !== registry.toLowerCase()) return undefined;
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  if (repository.length > 255) return undefined;
  return { registry, repository, tag: m[3], digest: m[4] };
}

/** Whether `value` is pinned: a valid reference with a sha256 digest, or a tag other than `latest`. */
export function isPinnedImageReference(value: string): boolean {
  const ref = parseImageReference(value);
  return ref !== undefined && (ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest'));
}

export const IMAGE_REFERENCE_HINT = 'use [registry/]repository:tag or …@sha256:<64 hex digits>, with a lowercase repository path (e.g. "ghcr.io/acme/app:1.4.2")';
