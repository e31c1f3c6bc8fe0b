/** Time one variant: best of `rounds` runs, each `ops` operations, after a warm-up. Ratios within one run are what count. */
export type Variant = { name: string; ops: number; run: () => void };
/** A result; with `unit`, `nsPerOp` holds a plain value in that unit (bytes, ms) and `opsPerSec` is unused. */
export type Row = { scenario: string; variant: string; nsPerOp: number; opsPerSec: number; unit?: string };

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
