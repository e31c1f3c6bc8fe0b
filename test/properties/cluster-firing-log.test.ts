// CLUSTER.md, "Restore, process, commit": whatever prefix of the firing sequence was logged before a crash, and
// whatever snapshot (at or before the logged prefix) a new owner restores, the log after its appends is the whole
// deterministic sequence, once. The model: firings as (message, index) pairs in order.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type FiringTail, logged } from '../../src/cluster/firing-log.js';
import { decodeJson, encodeJson } from '../../src/cluster/json-codec.js';

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);

it('a restored owner appends exactly the firings missing from the log', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(4), { minLength: 1, maxLength: 40 }),
      fc.nat(),
      fc.nat(),
      (perMessage, cut, back) => {
        // Message m (sequence m + 1) fires perMessage[m] firings.
        const all = perMessage.flatMap((k, m) =>
          Array.from({ length: k }, (_, i) => ({ seq: m + 1, index: i + 1 })),
        );
        const logCount = all.length === 0 ? 0 : cut % (all.length + 1);
        const log = all.slice(0, logCount);
        const last = log.at(-1);
        const tail: FiringTail = last === undefined ? { seq: 0 } : { seq: 1, at: last };
        // A snapshot is taken after an append: at a message whose firings are all in the log.
        const maxSnapshot =
          last === undefined ? 0 : last.seq - (last.index < (perMessage[last.seq - 1] ?? 0) ? 1 : 0);
        const snapshot = maxSnapshot === 0 ? 0 : back % (maxSnapshot + 1);
        const appended = all.filter((f) => f.seq > snapshot && !logged(tail, f.seq, f.index));
        expect([...log, ...appended]).toEqual(all);
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

it('the logs’ JSON keeps NaN and ±Infinity and every other JSON value as it was', () => {
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      fc.double(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
    ),
  })).v;
  fc.assert(
    fc.property(value, (v) => {
      const expected = JSON.parse(
        JSON.stringify(v, (_k, x) =>
          typeof x === 'number' && !Number.isFinite(x) ? `#${x}` : Object.is(x, -0) ? 0 : x,
        ),
      );
      const back = decodeJson<unknown>(encodeJson(v));
      const tagged = JSON.parse(
        JSON.stringify(back, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? `#${x}` : x)),
      );
      expect(tagged).toEqual(expected);
    }),
    { numRuns: NUM_RUNS },
  );
});
