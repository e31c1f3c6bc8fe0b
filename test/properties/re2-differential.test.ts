import fc from 'fast-check';
import { RE2 } from 're2-wasm';
import { describe, expect, it } from 'vitest';
import { re2jsEngine } from '../../src/index.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS } = process.env;
/**
 * re2-wasm never frees a compiled pattern (nor the DFA it builds while matching) and aborts once its 16 MiB heap
 * is full: about 2,000 of these generated patterns. Stay well under: runs are capped, and shrinking stops compiling
 * new patterns at the budget.
 */
const MAX_WASM_PATTERNS = 500;
const numRuns = Math.min(Number(FC_RUNS ?? 200), 400);

type Outcome =
  | { readonly compiles: false }
  | { readonly compiles: true; readonly test: (input: string) => boolean };

const wasmCache = new Map<string, Outcome>();

/** re2-wasm (Google's RE2 in WebAssembly), compiled once per source; `'u'` is the only mode it supports. */
function wasm(source: string): Outcome {
  const hit = wasmCache.get(source);
  if (hit !== undefined) return hit;
  let outcome: Outcome;
  try {
    const re = new RE2(source, 'u');
    outcome = { compiles: true, test: (input) => re.test(input) };
  } catch {
    outcome = { compiles: false };
  }
  wasmCache.set(source, outcome);
  return outcome;
}

function re2js(source: string): Outcome {
  try {
    const pattern = re2jsEngine.compile(source);
    return { compiles: true, test: (input) => pattern.test(input) };
  } catch {
    return { compiles: false };
  }
}

const ALPHABET = ['a', 'b', 'e', 'u', '-', '.', '1', '_', ' ', 'é', '\n'] as const;

const literal = fc.constantFrom('a', 'b', 'e', 'u', '-', 'eu', '\\.', '\\-', '1');
const klass = fc.constantFrom(
  '.',
  '[ab]',
  '[^a]',
  '[a-e]',
  '[-.]',
  '[^-.]',
  '[ab.]',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '[[:alpha:]]',
  '\\pL',
);
// No \B: RE2 in C++ tests it between the bytes of one UTF-8 character (so /\B/ matches 'é'); re2js, as Go, on runes.
const anchor = fc.constantFrom('^', '$', '\\b', '\\A', '\\z');
const quantifier = fc.constantFrom('*', '+', '?', '{1,3}', '{2}', '{0,1}', '{2,}', '*?', '+?', '??');

// Nesting is bounded, so patterns stay small (about 14 characters, at most about 70) and so does re2-wasm's heap.
const depth = { maxDepth: 5, depthIdentifier: 'pattern', withCrossShrink: true } as const;
const { pattern } = fc.letrec<{ pattern: string; term: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    depth,
    literal,
    klass,
    tie('pattern').map((p) => `(${p})`),
    tie('pattern').map((p) => `(?:${p})`),
  ),
  term: fc.oneof(
    depth,
    tie('atom'),
    fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q),
    anchor,
  ),
  pattern: fc.oneof(
    depth,
    fc.array(tie('term'), { minLength: 1, maxLength: 4 }).map((ts) => ts.join('')),
    fc.tuple(tie('pattern'), tie('pattern')).map(([l, r]) => `${l}|${r}`),
  ),
}));

const input = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((cs) => cs.join(''));

/** Keeps the number of distinct re2-wasm patterns bounded, even while fast-check shrinks. */
function withinBudget(source: string): boolean {
  return wasmCache.has(source) || wasmCache.size < MAX_WASM_PATTERNS;
}

describe('re2js agrees with RE2 (re2-wasm)', () => {
  it('on generated patterns and inputs: same syntax errors, same unanchored matches', () => {
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 10 }), (source, inputs) => {
        fc.pre(withinBudget(source));
        const expected = wasm(source);
        const actual = re2js(source);
        expect(actual.compiles, `compiles: ${source}`).toBe(expected.compiles);
        if (!expected.compiles || !actual.compiles) return;
        for (const text of inputs) {
          expect(actual.test(text), `/${source}/ on ${JSON.stringify(text)}`).toBe(expected.test(text));
        }
      }),
      { numRuns },
    );
    expect(wasmCache.size).toBeLessThanOrEqual(MAX_WASM_PATTERNS);
  });

  it.each([
    ['^europe.*', 'europe-west', true],
    ['^europe.*', 'west-europe', false],
    ['sweep-', 'my-sweep-7', true],
    ['^sweep-', 'my-sweep-7', false],
    ['^sweep-\\d+$', 'sweep-7', true],
    ['^sweep-\\d+$', 'sweep-7b', false],
    ['prod|staging', 'pre-staging-2', true],
    ['', 'anything', true],
  ] as const)('/%s/ on %j is %s in both', (source, text, matches) => {
    const expected = wasm(source);
    const actual = re2js(source);
    expect(expected.compiles && expected.test(text)).toBe(matches);
    expect(actual.compiles && actual.test(text)).toBe(matches);
  });

  it('re2js does not find \\B inside a multi-byte character, as Go', () => {
    // Every rune boundary of '1éu' is a word boundary; RE2 in C++ finds \B between the two bytes of 'é'.
    const notBoundary = re2js('\\B');
    expect(notBoundary.compiles && notBoundary.test('1éu')).toBe(false);
    expect(notBoundary.compiles && notBoundary.test('1éé')).toBe(true);
  });

  it.each(['(', 'a**', '(?=a)', '(?<!a)b', '\\1', '[b-a]', 'a{1001}'])('both refuse %s', (source) => {
    expect(wasm(source).compiles).toBe(false);
    expect(re2js(source).compiles).toBe(false);
  });
});
