import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import {
  anything,
  CallbackError,
  HOSTILE,
  HookRan,
  hostile,
  inject,
  isHostile,
  ran,
} from '../arbitraries/hostile.js';
import { HINTS, PLAUSIBLE, type Subject, subject } from './public-api-subject.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

/** The package's typed errors: nothing else may leave the public API (but a caller's own callback's error). */
const TYPED = [
  api.DefinitionError,
  api.NotFoundError,
  api.ForbiddenError,
  api.EngineClosedError,
  api.WebhookVerificationError,
  api.WebhookSignatureError,
  api.EventGridValidationError,
  api.StateFileError,
];

/** Every callable of the two public entries and of what they make, by name; `args` are the fuzzed arguments. */
type Callable = { readonly name: string; call(s: Subject, args: unknown[]): unknown };

const isClass = (f: unknown): boolean =>
  typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

/** Own methods of an instance's class (getters included as reads), found without calling anything. */
function methodsOf(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter((k) => k !== 'constructor');
}

function callables(): Callable[] {
  const out: Callable[] = [];
  for (const [entry, module] of [
    ['index', api],
    ['testing', testing],
  ] as const) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'function') {
        const f = value as (...args: unknown[]) => unknown;
        out.push({
          name: `${entry}.${name}`,
          call: (_s, args) =>
            isClass(f) ? new (f as unknown as new (...a: unknown[]) => unknown)(...args) : f(...args),
        });
      } else if (typeof value === 'object' && value !== null && !('_zod' in value)) {
        // Namespaces of functions (events, RunEvent, re2jsEngine, systemClock, fetchTransport).
        for (const [key, member] of Object.entries(value)) {
          if (typeof member !== 'function') continue;
          out.push({
            name: `${entry}.${name}.${key}`,
            call: (_s, args) => {
              const result = (member as (...a: unknown[]) => unknown).apply(value, args);
              // A real timer of the system clock would call a thrown-from callback later, outside the test.
              if (key === 'setTimer' && typeof result === 'function') result();
              return result;
            },
          });
        }
      }
    }
  }
  const on = (name: string, target: (s: Subject) => object, prototype: object) => {
    for (const key of methodsOf(prototype)) {
      out.push({
        name: `${name}.${key}`,
        call: (s, args) => {
          const t = target(s) as Record<string, unknown>;
          const member = t[key];
          return typeof member === 'function'
            ? (member as (...a: unknown[]) => unknown).apply(t, args)
            : member;
        },
      });
    }
  };
  const probe = subject();
  on('engine', (s) => s.engine, api.Engine.prototype);
  on('engine.as(p)', (s) => s.authorized, Object.getPrototypeOf(probe.authorized));
  on('MetricExpression', (s) => s.expression, api.MetricExpression.prototype);
  on('VirtualClock', (s) => s.clock, testing.VirtualClock.prototype);
  on('RecordingSink', (s) => s.recording, testing.RecordingSink.prototype);
  on('FileStateStore', (s) => s.store, api.FileStateStore.prototype);
  for (const [name, made] of Object.entries(probe.made)) {
    // Own names, enumerable or not: a trigger's `do` and an integration's `toJSON` are not enumerable.
    for (const key of Object.getOwnPropertyNames(made)) {
      if (typeof (made as Record<string, unknown>)[key] !== 'function') continue;
      out.push({
        name: `${name}.${key}`,
        call: (s, args) => {
          const t = s.made[name] as Record<string, (...a: unknown[]) => unknown>;
          return t[key]?.apply(t, args);
        },
      });
    }
  }
  probe.cleanup();
  return out;
}

const CALLABLES = callables();
/** The callables with hints, by index into CALLABLES. */
const HINTED = CALLABLES.flatMap((c, i) => (Object.hasOwn(HINTS, c.name) ? [i] : []));
if (process.env['FUZZ_REPORT'] === '1') console.log(CALLABLES.map((c) => c.name).join(' '));

const NAMES = Object.keys(PLAUSIBLE);
const plausibleNamed = (name: string) => PLAUSIBLE[name] as (s: Subject) => unknown;

/** One argument: anything, a hostile value, a valid-looking one, or a valid-looking one with a hostile part. */
const argument = fc.oneof(
  { weight: 2, arbitrary: anything },
  { weight: 3, arbitrary: hostile },
  { weight: 3, arbitrary: fc.nat(NAMES.length - 1).map((plausible) => ({ plausible })) },
  {
    weight: 3,
    arbitrary: fc.record({ into: fc.nat(NAMES.length - 1), value: hostile, at: fc.nat() }),
  },
);
type Arg = typeof argument extends fc.Arbitrary<infer A> ? A : never;

/** The real argument, built now (fast-check never holds, prints or shrinks into a hostile value). */
function build(a: unknown, s: Subject): unknown {
  if (isHostile(a)) return (HOSTILE[a.hostile] as () => unknown)();
  if (typeof a === 'object' && a !== null && Object.hasOwn(a, 'plausible') && Object.keys(a).length === 1)
    return plausibleNamed(NAMES[(a as { plausible: number }).plausible] as string)(s);
  if (typeof a === 'object' && a !== null && Object.hasOwn(a, 'into') && Object.keys(a).length === 3) {
    const { into, value, at } = a as { into: number; value: { hostile: number }; at: number };
    return inject(plausibleNamed(NAMES[into] as string)(s), build(value, s), at);
  }
  return a;
}

/**
 * A call: its arguments drawn freely, or (for a callable with hints) arguments that fit it, one of them made
 * hostile or given a hostile part, or none: so the checks behind the first one are reached too.
 */
const call = fc.oneof(
  fc.record({ callable: fc.nat(CALLABLES.length - 1), args: fc.array(argument, { maxLength: 4 }) }),
  fc
    .record({
      callable: fc.nat(HINTED.length - 1),
      hint: fc.nat(),
      at: fc.nat(3),
      change: fc.option(fc.oneof(hostile, fc.record({ value: hostile, deep: fc.nat() })), { freq: 4 }),
    })
    .map(({ callable, hint, at, change }) => {
      const index = HINTED[callable] as number;
      const hints = HINTS[(CALLABLES[index] as Callable).name] as readonly (readonly string[])[];
      const names = hints[hint % hints.length] as readonly string[];
      const args: Arg[] = names.map((n) => ({ plausible: NAMES.indexOf(n) }));
      if (change !== null && names.length > 0) {
        const k = at % names.length;
        args[k] = isHostile(change)
          ? change
          : { into: NAMES.indexOf(names[k] as string), value: change.value, at: change.deep };
      }
      return { callable: index, args };
    }),
);

const allowed = (error: unknown): boolean =>
  TYPED.some((T) => error instanceof T) || error instanceof CallbackError;

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 160)}` : typeof error;

/** Settle within 3 s, or say it hung. */
async function settle(result: unknown): Promise<unknown> {
  if (!(result instanceof Promise)) return result;
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('HUNG: did not settle within 3 s')), 3_000);
  });
  try {
    return await Promise.race([result, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const failures = new Map<string, number>();
const REPORT = process.env['FUZZ_REPORT'] === '1';
afterAll(() => {
  if (REPORT) for (const [k, n] of [...failures].sort()) console.log(`${n}\t${k}`);
});

it('every public function and method, called with anything, throws only typed errors and runs no code of the caller', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
      const s = subject();
      try {
        for (const { callable, args } of calls) {
          const c = CALLABLES[callable] as Callable;
          ran.length = 0;
          let outcome: unknown;
          try {
            outcome = await settle(
              c.call(
                s,
                args.map((a) => build(a, s)),
              ),
            );
          } catch (error) {
            outcome = error;
            if (!allowed(error)) {
              const key = `${c.name} → ${describe(error)}`;
              failures.set(key, (failures.get(key) ?? 0) + 1);
              if (!REPORT) expect.fail(`${c.name} threw ${describe(error)}`);
            }
          }
          if (ran.length > 0 || outcome instanceof HookRan) {
            const key = `${c.name} → ran ${ran.join(', ')}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
            if (!REPORT) expect.fail(`${c.name} ran the caller's code: ${ran.join(', ')}`);
          }
        }
      } finally {
        ran.length = 0;
        await s.close();
      }
      // Nor later, while deliveries of what was ingested run out and the engine closes.
      if (ran.length > 0) {
        failures.set(`close → ran ${ran.join(', ')}`, 1);
        if (!REPORT) expect.fail(`closing ran the caller's code: ${ran.join(', ')}`);
      }
    }),
    { numRuns: runs },
  );
});
