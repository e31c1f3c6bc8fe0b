import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Time one variant: best of `rounds` runs, each `ops` operations, after a warm-up. Ratios within one run are what count. */
export type Variant = { name: string; ops: number; run: () => void };
/**
 * A result; with `unit`, `nsPerOp` holds a plain value in that unit (bytes, ms) and `opsPerSec` is unused.
 * `verdict` marks a target row; `note` is printed under the table.
 */
export type Row = {
  scenario: string;
  variant: string;
  nsPerOp: number;
  opsPerSec: number;
  unit?: string;
  verdict?: 'met' | 'missed';
  note?: string;
};

export function measure(scenario: string, variants: readonly Variant[], rounds = 5): Row[] {
  for (const v of variants) v.run(); // warm-up
  const best = new Map<string, number>();
  // Interleaved: each round runs every variant, so machine noise hits all of them alike.
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const t0 = process.hrtime.bigint();
      v.run();
      const ns = Number(process.hrtime.bigint() - t0) / v.ops;
      best.set(v.name, Math.min(best.get(v.name) ?? Number.POSITIVE_INFINITY, ns));
    }
  }
  return variants.map((v) => {
    const ns = best.get(v.name) as number;
    return { scenario, variant: v.name, nsPerOp: ns, opsPerSec: 1e9 / ns };
  });
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes in use now: the JS heap plus ArrayBuffer backing stores, which live outside it (series blocks do). */
export function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes in use after a full collection (twice, so that finalizers' garbage goes too). */
export function heap(): number {
  gc();
  gc();
  return used();
}

/** A variant that needs fresh state each round (an engine that has not seen the events): `prepare` is untimed. */
export type PreparedVariant = {
  readonly name: string;
  readonly prepare: () => () => unknown;
  /** Untimed, after each pass, while its state is still alive: to read its heap or counters. */
  readonly after?: () => void;
  /** Passes a round, the best kept: for a short pass, which one burst of machine noise would otherwise spoil. */
  readonly repeat?: number;
};
/** Best time of a prepared variant over the rounds it ran, in ns for the whole pass. */
export type Timing = { readonly ns: number; readonly rounds: number; readonly note?: string };

/**
 * Interleaved rounds of passes too large to repeat freely: a full collection before each pass, so one variant
 * never pays for another's garbage; a variant whose first pass takes longer than `slowMs` runs only that once;
 * no round starts after `budgetMs`. Awaits what a pass returns, so an async pass is timed to its end.
 */
export async function measurePasses(
  variants: readonly PreparedVariant[],
  options: { readonly rounds: number; readonly budgetMs: number; readonly slowMs?: number },
): Promise<Map<string, Timing>> {
  const slowNs = (options.slowMs ?? 40_000) * 1e6;
  const started = Date.now();
  const best = new Map<string, { ns: number; rounds: number; note?: string }>();
  for (let r = 0; r < options.rounds; r++) {
    if (r > 0 && Date.now() - started > options.budgetMs) break;
    // Each round starts one variant later, so no variant always runs first (or right after the same one).
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + r) % variants.length] as PreparedVariant;
      const prior = best.get(v.name);
      if (prior?.note !== undefined) continue;
      let ns = Number.POSITIVE_INFINITY;
      for (let k = 0; k < (v.repeat ?? 1); k++) {
        // Only before the first: a repeat right after a full collection shares the CPU with its concurrent sweep.
        if (k === 0) heap();
        let run: (() => unknown) | undefined = v.prepare();
        const t0 = process.hrtime.bigint();
        await run();
        ns = Math.min(ns, Number(process.hrtime.bigint() - t0));
        v.after?.();
        run = undefined; // drop the pass's state before the next one
      }
      const rounds = (prior?.rounds ?? 0) + 1;
      if (r === 0 && ns > slowNs) {
        const note = `first pass took ${(ns / 1e9).toFixed(1)} s (> ${slowNs / 1e9} s): run once`;
        console.error(`note: ${v.name}: ${note}`);
        best.set(v.name, { ns, rounds, note });
      } else {
        best.set(v.name, { ns: Math.min(prior?.ns ?? Number.POSITIVE_INFINITY, ns), rounds });
      }
    }
  }
  return best;
}

/** A throughput row: `ops` operations in `ns`. */
export function rateRow(scenario: string, variant: string, ns: number, ops: number, note?: string): Row {
  return {
    scenario,
    variant,
    nsPerOp: ns / ops,
    opsPerSec: (ops * 1e9) / ns,
    ...(note !== undefined && { note }),
  };
}

/** A plain value in a unit (bytes, µs, ×, %). */
export function valueRow(scenario: string, variant: string, value: number, unit: string, note?: string): Row {
  return { scenario, variant, nsPerOp: value, opsPerSec: 0, unit, ...(note !== undefined && { note }) };
}

/** A target: the measured value, its unit, and whether it meets the target. */
export function targetRow(scenario: string, target: string, value: number, unit: string, met: boolean): Row {
  return { ...valueRow(scenario, `target: ${target}`, value, unit), verdict: met ? 'met' : 'missed' };
}
