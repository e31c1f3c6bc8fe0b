import fc from 'fast-check';
import { expect, it } from 'vitest';
import { firingSchema, isFiringShape } from '../../src/sinks/delivery/deliverer-inputs.js';

const { FC_RUNS } = process.env;
const NUM_RUNS = Number(FC_RUNS ?? 500);

/** Any value a field might hold, odd ones included. */
const anyValue = fc.oneof(
  fc.constantFrom(undefined, null, '', 'x', 0, Number.NaN, Number.POSITIVE_INFINITY, 1.5, true, [], {}),
  fc.string(),
  fc.double(),
  fc.array(fc.string(), { maxLength: 2 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyValue);

/** Firings, most nearly right, each field sometimes wrong or missing. */
const candidate = fc.record(
  {
    id: maybe(fc.constant('fir_1')),
    automationId: maybe(fc.constant('a1')),
    automationName: maybe(fc.constant('alerts')),
    time: maybe(fc.integer()),
    event: maybe(
      fc.record({ id: maybe(fc.constant('e1')), source: maybe(fc.constant('/s')) }, { requiredKeys: [] }),
    ),
    action: maybe(
      fc.record(
        { type: maybe(fc.constant('SendWebhook')), integration: maybe(fc.constant('hook')) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

it('the fast firing check agrees with the firing schema on every candidate', () => {
  fc.assert(
    fc.property(fc.oneof(candidate, anyValue), (value) => {
      expect(isFiringShape(value)).toBe(firingSchema.safeParse(value).success);
    }),
    { numRuns: NUM_RUNS },
  );
});
