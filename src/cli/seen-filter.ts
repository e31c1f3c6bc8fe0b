/**
 * A fixed-size Bloom filter of event keys (source, id): "certainly new" or "maybe seen". The replay asks the
 * engine's counters (`stats()`, which costs O(runs)) only for the few events that may be duplicates.
 */
export class SeenFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  /** `log2Bits` = 26 is 8 MiB: about 1 % false "maybe" answers at 10 million events. */
  constructor(log2Bits = 26) {
    this.#bits = new Uint32Array(2 ** (log2Bits - 5));
    this.#mask = 2 ** log2Bits - 1;
  }

  mightHave(key: string): boolean {
    const [a, b] = hashes(key);
    for (let i = 0; i < 4; i++) {
      const bit = (a + i * b) & this.#mask;
      if ((this.#bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(key: string): void {
    const [a, b] = hashes(key);
    for (let i = 0; i < 4; i++) {
      const bit = (a + i * b) & this.#mask;
      this.#bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}

/** Two independent 32-bit hashes (FNV-1a, and a multiplicative one) for double hashing. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b >>> 0) | 1];
}
