import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automationJsonSchema, type Issue, isDefinitionError, parseAutomation } from '../../src/index.js';
import { automationJson, type Json, schemaObjectPaths } from '../arbitraries/definitions.js';

// Destructured: tsc wants ['FC_RUNS'] (an index signature), Biome wants .FC_RUNS.
const { FC_RUNS } = process.env;
const numRuns = Number(FC_RUNS ?? 200);

const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true }).compile(
  automationJsonSchema(),
);

/** Every field name any definition schema knows: an added key outside this set is unknown wherever it goes. */
const KNOWN = new Set(
  `type name window agg cmp threshold currentWindow priorWindow changeType direction amount scope filter
  runFilter states collection alias tag entity project registry user runName includedEventTypes
  subjectBeginsWith subjectEndsWith isSubjectCaseSensitive enableAdvancedFilteringOnArrays advancedFilters
  operatorType key value values integration title message text severity level payload event action
  description enabled cooldownMs retryPolicy rateLimit maxDeliveryAttempts eventTimeToLiveInMinutes perSecond
  burst onLimit`.split(/\s+/),
);
const unknownKey = fc
  .oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'Type',
      'NAME',
      'window_size',
      'change_dir',
      '$and',
      '',
    ),
    fc.string({ maxLength: 12 }),
  )
  .filter((k) => !KNOWN.has(k));

/**
 * In a run filter, operators (`$and`, `$regex`, …) and W&B's run fields are the MongoDB-style form's own keys
 * (SEMANTICS §3.5), not unknown ones: everywhere else they stay unknown.
 */
const meansSomethingIn = (path: readonly (string | number)[], key: string): boolean =>
  path.at(-1) === 'runFilter' &&
  (key.startsWith('$') ||
    ['display_name', 'username', 'tags', 'config'].includes(key) ||
    key.startsWith('config.'));

function issuesOf(json: unknown): readonly Issue[] {
  try {
    parseAutomation(json);
  } catch (error) {
    if (isDefinitionError(error)) return error.issues;
    throw error;
  }
  return [];
}

function at(json: Json, path: readonly (string | number)[]): { [key: string]: Json } {
  let node: Json = json;
  for (const step of path) node = (node as Record<string | number, Json>)[step] as Json;
  return node as { [key: string]: Json };
}

describe('nothing a user writes is silently dropped (property)', () => {
  it('a generated definition parses, and the JSON Schema accepts it', () => {
    fc.assert(
      fc.property(automationJson, (json) => {
        expect(issuesOf(json)).toStrictEqual([]);
        expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns },
    );
  });

  it('an unknown key added to any object of it is refused: unrecognized_keys, at that object, naming the key', () => {
    const withPath = automationJson.chain((json) =>
      fc.tuple(fc.constant(json), fc.constantFrom(...schemaObjectPaths(json)), unknownKey, fc.jsonValue()),
    );
    fc.assert(
      fc.property(withPath, ([original, path, key, value]) => {
        fc.pre(!meansSomethingIn(path, key));
        const json = structuredClone(original);
        // defineProperty, so that '__proto__' becomes an own key, as JSON.parse makes it.
        Object.defineProperty(at(json, path), key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        for (const input of [json, JSON.stringify(json)]) {
          const issues = issuesOf(input);
          expect(issues.map((i) => ({ code: i.code, path: i.path, value: i.value }))).toStrictEqual([
            { code: 'unrecognized_keys', path, value: key },
          ]);
          expect(issues[0]?.message).toContain(JSON.stringify(key));
        }
        expect(validate(JSON.parse(JSON.stringify(json)))).toBe(false);
      }),
      { numRuns },
    );
  });
});

// W&B's spellings of our canonical values; anything else is only re-cased.
const WANDB: Readonly<Record<string, readonly string[]>> = {
  mean: ['AVERAGE', 'Average', 'avg', 'AVG', 'average', 'MEAN'],
  failed: ['FAILED', 'CRASHED', 'crashed', 'Failed'],
};
type Style = 'upper' | 'lower' | 'title' | 'wandb';

function respell(word: string, style: Style, pick: number): string {
  const lower = word.toLowerCase();
  if (style === 'upper') return word.toUpperCase();
  if (style === 'lower') return lower;
  if (style === 'title') return lower.charAt(0).toUpperCase() + lower.slice(1);
  const spellings = WANDB[lower] ?? [word.toUpperCase()];
  return spellings[pick % spellings.length] ?? word;
}

/** The same definition with every enum value (agg, changeType, direction, states, severity) spelt another way. */
function recase(json: { [key: string]: Json }, styles: readonly [Style, number][]): { [key: string]: Json } {
  let n = 0;
  const next = (word: string): string => {
    const [style, pick] = styles[n++ % styles.length] ?? ['upper', 0];
    return respell(word, style, pick);
  };
  const copy = structuredClone(json);
  const event = copy['event'] as { [key: string]: Json };
  const filter = event['filter'] as { [key: string]: Json } | undefined;
  for (const field of ['agg', 'changeType', 'direction'])
    if (typeof filter?.[field] === 'string') filter[field] = next(filter[field]);
  if (Array.isArray(event['states'])) event['states'] = event['states'].map((s) => next(String(s)));
  const action = copy['action'] as { [key: string]: Json };
  if (typeof action['severity'] === 'string') action['severity'] = next(action['severity']);
  return copy;
}

describe("W&B's spellings, any case (property)", () => {
  it('upper-, lower- or title-casing enum values, or spelling them as W&B does, gives the same canonical definition', () => {
    const style = fc.tuple(fc.constantFrom<Style>('upper', 'lower', 'title', 'wandb'), fc.nat(10));
    fc.assert(
      fc.property(automationJson, fc.array(style, { minLength: 1, maxLength: 8 }), (json, styles) => {
        const respelt = recase(json, styles);
        expect(parseAutomation(respelt)).toStrictEqual(parseAutomation(json));
        expect(validate(respelt), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns },
    );
  });
});
