import { float64s, int32s, uint16s } from '../windows/off-heap.js';
import { larger, nextPowerOfTwo } from './ring-growth.js';

/**
 * The (source, id) pairs already accepted, so a redelivered event is ignored. Bounded by count and by age
 * (event time), oldest first out: a duplicate older than the bound is no longer recognised.
 *
 * A hash table of our own, in typed arrays, because the check runs once per event against up to 10⁶ ids,
 * far more than the cache holds: each slot keeps the pair's hash beside its place in the queue, so a new id
 * (the usual answer) costs one probe of one array, with no string compared. Entries live in a ring, oldest
 * first, holding each id, its source's number, hash and time; a source is a number, so nothing builds a key
 * string. Linear probing, with deletions that shift the run back, so no tombstones pile up. An id is kept as its
 * UTF-16 units in a ring of chars (ids leave oldest first, as they came), not as a string: a million seen ids are
 * no million strings for the collector to copy and mark.
 */
export class SeenIds {
  readonly #bySource = new Map<string, number>();
  readonly #sources: string[] = [];
  /** Live ids per source number: a source with none is forgotten and its number reused. */
  readonly #counts: number[] = [];
  readonly #free: number[] = [];
  // The ring of entries: `#size` of them from `#head`, capacity a power of two.
  /** Where each entry's id starts in `#chars`, and its length. */
  #idStart: Int32Array;
  #idLength: Int32Array;
  #sourceOf: Int32Array;
  #hashOf: Int32Array;
  #times: Float64Array;
  #head = 0;
  #size = 0;
  // The ids' UTF-16 units: `#charSize` of them from `#charHead`, capacity a power of two.
  #chars: Uint16Array;
  #charHead = 0;
  #charSize = 0;
  // The table: pairs (hash, ring index + 1); 0 in the second is an empty slot. Twice the ring: at most half full.
  #table: Int32Array;
  /** The source addNew was last given, and its number; forgotten with the source. */
  #lastSource: string | undefined = undefined;
  #lastNumber = 0;
  readonly #maxCount: number;
  readonly #maxAgeMs: number;

  /** `capacity`, a power of two, is where the ring starts (it doubles as needed); small ones are for tests. */
  constructor(maxCount = 1_000_000, maxAgeMs = 7 * 24 * 3600_000, capacity = 1024) {
    this.#maxCount = maxCount;
    this.#maxAgeMs = maxAgeMs;
    this.#idStart = int32s(capacity);
    this.#idLength = int32s(capacity);
    this.#chars = uint16s(16 * capacity);
    this.#sourceOf = int32s(capacity);
    this.#hashOf = int32s(capacity);
    this.#times = float64s(capacity);
    this.#table = int32s(4 * capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Oldest first, as `source \0 id` keys with their times: the snapshot format. */
  save(): [string, number][] {
    const out: [string, number][] = [];
    const mask = this.#idStart.length - 1;
    for (let k = 0; k < this.#size; k++) {
      const r = (this.#head + k) & mask;
      const source = this.#sources[this.#sourceOf[r] as number] as string;
      out.push([`${source}\u0000${this.#idAt(r)}`, this.#times[r] as number]);
    }
    return out;
  }

  load(saved: readonly (readonly [string, number])[]): void {
    for (const [key, time] of saved) {
      const cut = key.indexOf('\u0000');
      const source = cut < 0 ? '' : key.slice(0, cut);
      const id = cut < 0 ? key : key.slice(cut + 1);
      if (!this.has(source, id)) this.#push(source, id, time);
    }
  }

  has(source: string, id: string): boolean {
    const s = this.#bySource.get(source);
    return s !== undefined && this.#find(s, id, hashOf(s, id)) >= 0;
  }

  /** Record a pair not yet seen (`has` is false), then let the oldest go while over a bound. */
  add(source: string, id: string, time: number): void {
    this.#push(source, id, time);
    this.#evict(time);
  }

  /**
   * `has` and `add` in one: record the pair and answer true, or answer false (and change nothing) when it was
   * seen before. The pair is hashed and probed once, where `has` then `add` did both twice.
   */
  addNew(source: string, id: string, time: number): boolean {
    let s: number | undefined;
    // A stream's rows share a source, each row with its own copy: a compare is cheaper than the Map's hashing.
    if (source === this.#lastSource) s = this.#lastNumber;
    else {
      s = this.#bySource.get(source);
      if (s === undefined) s = this.#number(source);
      this.#lastSource = source;
      this.#lastNumber = s;
    }
    const h = hashOf(s, id);
    const slot = this.#find(s, id, h);
    if (slot >= 0) return false;
    // The empty slot that ended the probe is where the pair goes: no second probe.
    this.#place(s, id, h, time, -1 - slot);
    this.#evict(time);
    return true;
  }

  /** Let the oldest go while over a bound (count, or age behind `time`). */
  #evict(time: number): void {
    const mask = this.#idStart.length - 1;
    while (this.#size > 0) {
      const oldest = this.#head;
      if (this.#size <= this.#maxCount && (this.#times[oldest] as number) >= time - this.#maxAgeMs) break;
      this.#unlink(oldest);
      const s = this.#sourceOf[oldest] as number;
      // The oldest id's units are the oldest in #chars.
      const length = this.#idLength[oldest] as number;
      this.#charHead = (this.#charHead + length) & (this.#chars.length - 1);
      this.#charSize -= length;
      this.#head = (oldest + 1) & mask;
      this.#size -= 1;
      this.#counts[s] = (this.#counts[s] as number) - 1;
      if (this.#counts[s] === 0) {
        if (s === this.#lastNumber) this.#lastSource = undefined;
        this.#bySource.delete(this.#sources[s] as string);
        this.#free.push(s);
      }
    }
  }

  /** The table slot holding (s, id), or -1 - the empty slot where its probe ended. */
  #find(s: number, id: string, h: number): number {
    const table = this.#table;
    const mask = (table.length >> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const entry = table[2 * i + 1] as number;
      if (entry === 0) return -1 - i;
      if (table[2 * i] === h) {
        const r = entry - 1;
        if (this.#sourceOf[r] === s && this.#idIs(r, id)) return i;
      }
    }
  }

  #push(source: string, id: string, time: number): void {
    const s = this.#bySource.get(source) ?? this.#number(source);
    this.#place(s, id, hashOf(s, id), time, -1);
  }

  /** A number for a source not yet known: a free one, or the next. */
  #number(source: string): number {
    const s = this.#free.pop() ?? this.#sources.length;
    this.#sources[s] = source;
    this.#counts[s] = 0;
    this.#bySource.set(source, s);
    return s;
  }

  /** Append (s, id) with its hash `h` to the ring and the table, at `slot` if it is one (≥ 0): #find's empty slot. */
  #place(s: number, id: string, h: number, time: number, slot: number): void {
    this.#counts[s] = (this.#counts[s] as number) + 1;
    if (this.#size === this.#idStart.length) {
      this.#grow();
      slot = -1;
    }
    if (this.#charSize + id.length > this.#chars.length) this.#growChars(this.#charSize + id.length);
    const r = (this.#head + this.#size) & (this.#idStart.length - 1);
    const chars = this.#chars;
    const charMask = chars.length - 1;
    const start = (this.#charHead + this.#charSize) & charMask;
    for (let i = 0; i < id.length; i++) chars[(start + i) & charMask] = id.charCodeAt(i);
    this.#charSize += id.length;
    this.#idStart[r] = start;
    this.#idLength[r] = id.length;
    this.#sourceOf[r] = s;
    this.#hashOf[r] = h;
    this.#times[r] = time;
    this.#size += 1;
    this.#insert(h, r, slot);
  }

  /** Index ring entry `r` by its hash `h`, probing from its home, or from `slot` if that is one (≥ 0). */
  #insert(h: number, r: number, slot = -1): void {
    const table = this.#table;
    const mask = (table.length >> 1) - 1;
    let i = slot >= 0 ? slot : h & mask;
    while ((table[2 * i + 1] as number) !== 0) i = (i + 1) & mask;
    table[2 * i] = h;
    table[2 * i + 1] = r + 1;
  }

  /** Take ring entry `r` out of the table, shifting back the entries after it that probed past its slot. */
  #unlink(r: number): void {
    const table = this.#table;
    const mask = (table.length >> 1) - 1;
    let i = (this.#hashOf[r] as number) & mask;
    while ((table[2 * i + 1] as number) !== r + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; (table[2 * j + 1] as number) !== 0; j = (j + 1) & mask) {
      const home = (table[2 * j] as number) & mask;
      // The entry at j may fill the hole at i only if its home is not in the cyclic range (i, j].
      const movable = i <= j ? home <= i || home > j : home <= i && home > j;
      if (!movable) continue;
      table[2 * i] = table[2 * j] as number;
      table[2 * i + 1] = table[2 * j + 1] as number;
      i = j;
    }
    table[2 * i] = 0;
    table[2 * i + 1] = 0;
  }

  /** True when entry `r`'s id is `id`, unit by unit. */
  #idIs(r: number, id: string): boolean {
    const length = this.#idLength[r] as number;
    if (length !== id.length) return false;
    const chars = this.#chars;
    const mask = chars.length - 1;
    const start = this.#idStart[r] as number;
    for (let i = 0; i < length; i++) if (chars[(start + i) & mask] !== id.charCodeAt(i)) return false;
    return true;
  }

  /** Entry `r`'s id as a string: for snapshots only. */
  #idAt(r: number): string {
    const chars = this.#chars;
    const mask = chars.length - 1;
    const start = this.#idStart[r] as number;
    const units: number[] = [];
    for (let i = 0; i < (this.#idLength[r] as number); i++) units.push(chars[(start + i) & mask] as number);
    let out = '';
    for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
    return out;
  }

  /** Grow #chars (`larger`) until `need` units fit, the oldest moved to index 0, and point every entry at them. */
  #growChars(need: number): void {
    const old = this.#chars;
    const chars = uint16s(larger(old.length, need, Number.POSITIVE_INFINITY));
    const oldMask = old.length - 1;
    for (let k = 0; k < this.#charSize; k++) chars[k] = old[(this.#charHead + k) & oldMask] as number;
    const ringMask = this.#idStart.length - 1;
    for (let k = 0; k < this.#size; k++) {
      const r = (this.#head + k) & ringMask;
      this.#idStart[r] = ((this.#idStart[r] as number) - this.#charHead) & oldMask;
    }
    this.#chars = chars;
    this.#charHead = 0;
  }

  /** Grow the ring (oldest entry moved to index 0) and the table (`larger`), and index every entry anew. */
  #grow(): void {
    const old = this.#idStart.length;
    const length = larger(old, old + 1, nextPowerOfTwo(this.#maxCount + 1));
    const idStart = int32s(length);
    const idLength = int32s(length);
    const sourceOf = int32s(length);
    const hashes = int32s(length);
    const times = float64s(length);
    for (let k = 0; k < this.#size; k++) {
      const r = (this.#head + k) & (old - 1);
      idStart[k] = this.#idStart[r] as number;
      idLength[k] = this.#idLength[r] as number;
      sourceOf[k] = this.#sourceOf[r] as number;
      hashes[k] = this.#hashOf[r] as number;
      times[k] = this.#times[r] as number;
    }
    this.#idStart = idStart;
    this.#idLength = idLength;
    this.#sourceOf = sourceOf;
    this.#hashOf = hashes;
    this.#times = times;
    // In the old table's order (homes in order: two sweeps of the new table, not a miss each); any order is valid.
    const head = this.#head;
    const table = this.#table;
    this.#head = 0;
    this.#table = int32s(4 * length);
    for (let i = 1; i < table.length; i += 2) {
      const entry = table[i] as number;
      if (entry !== 0) this.#insert(table[i - 1] as number, (entry - 1 - head) & (old - 1));
    }
  }
}

/** FNV-1a over the id's UTF-16 units, seeded by the source's number, then mixed so low bits spread. */
function hashOf(source: number, id: string): number {
  let h = (0x811c9dc5 ^ Math.imul(source, 0x9e3779b1)) | 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
