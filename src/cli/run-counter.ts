/** How many distinct runs were counted, and whether that number is exact or estimated. */
export type RunCount = { readonly count: number; readonly exact: boolean };

/** A counter's runs, for another counter to add (`merge`): its table of hashes, or its sketch. */
export type RunCounterState =
  | { readonly lo: Uint32Array; readonly hi: Uint32Array; readonly registers?: undefined }
  | { readonly registers: Uint8Array };

type RunEventShape = {
  readonly type?: unknown;
  readonly data?: { readonly entity?: unknown; readonly project?: unknown; readonly runId?: unknown };
};

/** Up to this many distinct runs are counted exactly; 2²¹ runs fill two 16 MiB tables half full. */
export const EXACT_RUNS = 2 ** 21;
/** HyperLogLog registers beyond the exact range: 2¹⁴ bytes, about 0.8 % standard error. */
const HLL_BITS = 14;

/**
 * Counts distinct runs (entity, project, run id) in bounded memory: exactly, by a 64-bit hash of each run in an
 * open-addressing table of typed arrays (8 bytes a slot, half full at most), up to `exactLimit` runs; beyond that
 * it moves every hash into a HyperLogLog sketch and estimates. Two runs share a 64-bit hash with odds below 10⁻⁶
 * at 2²¹ runs, so "exact" holds in practice. Nothing is allocated per run but the table's growth.
 */
export class RunCounter {
  readonly #limit: number;
  #lo = new Uint32Array(1024);
  #hi = new Uint32Array(1024);
  #size = 0;
  #registers: Uint8Array | undefined;
  // The two hashes being computed by #mix (fields, so that no array is made per run).
  #a = 0;
  #b = 0;

  constructor(exactLimit = EXACT_RUNS) {
    this.#limit = exactLimit;
  }

  /** The run of an accepted `run.metrics` or `run.state` event; other events have none. */
  addEvent(event: unknown): void {
    const e = event as RunEventShape | null;
    if (
      (e?.type === 'run.metrics' || e?.type === 'run.state' || e?.type === 'run.updated') &&
      e.data !== undefined
    )
      this.add(String(e.data.entity), String(e.data.project), String(e.data.runId));
  }

  add(entity: string, project: string, runId: string): void {
    this.#a = 0x811c9dc5;
    this.#b = 0x9747b28c;
    this.#mix(entity);
    this.#mix(project);
    this.#mix(runId);
    this.#count(fmix(this.#a), fmix(this.#b ^ 0x2545f491));
  }

  /** Count a run by its two hashes: in the table while it has room, else in the sketch. */
  #count(a: number, b: number): void {
    if (this.#registers === undefined) {
      if (this.#has(a, b)) return;
      if (this.#size < this.#limit) {
        this.#insert(a, b);
        return;
      }
      this.#overflow();
    }
    this.#sketch(a, b);
  }

  get state(): RunCounterState {
    return this.#registers === undefined ? { lo: this.#lo, hi: this.#hi } : { registers: this.#registers };
  }

  /**
   * Add the runs of another counter (a thread's share of a replay): the count is then the one a single counter
   * given all their events makes, since a table of hashes and a sketch's maxima do not depend on the order.
   */
  merge(state: RunCounterState): void {
    if (state.registers !== undefined) {
      if (this.#registers === undefined) this.#overflow();
      const registers = this.#registers as unknown as Uint8Array;
      for (let j = 0; j < registers.length; j++)
        if (state.registers[j]! > registers[j]!) registers[j] = state.registers[j]!;
      return;
    }
    for (let i = 0; i < state.lo.length; i++)
      if (state.lo[i] !== 0 || state.hi[i] !== 0) this.#count(state.lo[i]!, state.hi[i]!);
  }

  get result(): RunCount {
    return this.#registers === undefined
      ? { count: this.#size, exact: true }
      : { count: estimate(this.#registers), exact: false };
  }

  /** Whether the table holds this hash. Slot 0/0 means empty, so a zero hash is stored as 0/1. */
  #has(a: number, b0: number): boolean {
    const b = a === 0 && b0 === 0 ? 1 : b0;
    const mask = this.#lo.length - 1;
    for (let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const lo = this.#lo[i]!;
      const hi = this.#hi[i]!;
      if (lo === 0 && hi === 0) return false;
      if (lo === a && hi === b) return true;
    }
  }

  #insert(a: number, b: number): void {
    if ((this.#size + 1) * 2 > this.#lo.length) this.#grow();
    this.#place(a, b);
    this.#size += 1;
  }

  #place(a: number, b0: number): void {
    const b = a === 0 && b0 === 0 ? 1 : b0;
    const mask = this.#lo.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    while (this.#lo[i] !== 0 || this.#hi[i] !== 0) i = (i + 1) & mask;
    this.#lo[i] = a;
    this.#hi[i] = b;
  }

  #grow(): void {
    const lo = this.#lo;
    const hi = this.#hi;
    this.#lo = new Uint32Array(lo.length * 2);
    this.#hi = new Uint32Array(hi.length * 2);
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0 || hi[i] !== 0) this.#place(lo[i]!, hi[i]!);
  }

  /** Too many runs to count exactly: every hash goes into the sketch, and the table is dropped. */
  #overflow(): void {
    this.#registers = new Uint8Array(2 ** HLL_BITS);
    for (let i = 0; i < this.#lo.length; i++)
      if (this.#lo[i] !== 0 || this.#hi[i] !== 0) this.#sketch(this.#lo[i]!, this.#hi[i]!);
    this.#lo = new Uint32Array(0);
    this.#hi = new Uint32Array(0);
  }

  /** The register is the top HLL_BITS of `a`; the rank is one more than the leading zeros of `b`. */
  #sketch(a: number, b: number): void {
    const registers = this.#registers!;
    const j = a >>> (32 - HLL_BITS);
    const rank = Math.clz32(b) + 1;
    if (rank > registers[j]!) registers[j] = rank;
  }

  /** One part of the key into both hashes (FNV-1a, and a multiplicative one), then a separator. */
  #mix(part: string): void {
    let a = this.#a;
    let b = this.#b;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.#a = Math.imul(a, 0x01000193);
    this.#b = Math.imul(b ^ 0xff, 0x5bd1e995);
  }
}

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function fmix(h0: number): number {
  let h = h0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The HyperLogLog estimate, with linear counting while registers are still empty. */
function estimate(registers: Uint8Array): number {
  const m = registers.length;
  let sum = 0;
  let zeros = 0;
  for (const r of registers) {
    sum += 2 ** -r;
    if (r === 0) zeros += 1;
  }
  const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
  return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
}
