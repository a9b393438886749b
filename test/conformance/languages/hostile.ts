import * as fc from 'fast-check';

/** Fragments that mean something in one of the languages we generate. */
const SPECIAL = [
  '{{', '}}', '{{ env "RATE_LIMIT_STORE_1_PASSWORD" }}', '{{-', '`', '"', "'", '\\', '$', '$(', '$(HOME)', '${HOME}', '$$', '`id`',
  ';', '&', '&&', '|', '||', '#', '\n', '\r\n', '\t', ' ', '\0', '%', '%[1]', '*', '?', '[', ']', '~', '-', '--', '=', ':', ': ', '- ',
  '\u2028', '\u00e9', '\ud83d\ude00', '</script>', '0', '}', '{',
];

/** Arbitrary strings, biased towards the characters and sequences that are code somewhere. */
export const hostileString: fc.Arbitrary<string> = fc.array(
  fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(...SPECIAL)),
  { maxLength: 6 },
).map(parts => parts.join(''));

/** Printable ASCII biased the same way: what a header value or a URL may hold, so that it renders. */
export const printableHostile: fc.Arbitrary<string> = fc.array(
  fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 6 }).map(s => s.replace(/[^\x20-\x7e]/g, '')),
    fc.constantFrom(...SPECIAL.filter(t => /^[\x20-\x7e]+$/.test(t)))),
  { maxLength: 8 },
).map(parts => parts.join(''));

/** Property-run bounds: enough to find an escaping gap, small enough to keep the suite fast. */
export const PROPERTY_RUNS = { numRuns: 150 };

/**
 * Jest's limit for a property test (150 constructs, or an engine per run or once for all runs):
 * generous, because two cores are shared with other suites. Nothing is asserted about the time taken.
 */
export const ENGINE_TIMEOUT_MS = 120_000;

/**
 * `valid` with one of its props replaced by a hostile string: every prop has its own grammar, so
 * one hostile value per run is what lets the others render.
 */
export function oneHostile<T extends Record<string, string>>(valid: T): fc.Arbitrary<T> {
  return fc.tuple(fc.constantFrom(...Object.keys(valid)), hostileString).map(([key, value]) => ({ ...valid, [key]: value }));
}
