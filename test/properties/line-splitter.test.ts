// JSON Lines split as bytes (LineSplitter) give what the text reader (LineReader) gives, however the bytes are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/cli/line-splitter.js';
import { LineReader } from '../../src/cli/read-events.js';
import type { ReadItem } from '../../src/cli/read-item.js';

const numRuns = Number(process.env['FC_RUNS'] ?? 200);

// Lines as real files hold them, and the odd ones: blank, bad, CRLF, multi-byte and broken UTF-8, a BOM.
const line = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ id: fc.string(), v: fc.double() }).map((v) => JSON.stringify(v)),
  fc.constantFrom('', ' ', '\t', '\r', '{"a":', 'nope', '{"é":"€😀"}', '\uFEFF{"a":1}', '{"a":"\u2028"}'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const input = fc
  .tuple(
    fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 20 }),
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 12 }),
  )
  .map(([lines, bom, broken, cuts]) => {
    let bytes = Buffer.from(`${bom ? '\uFEFF' : ''}${lines.map(([l, end]) => l + end).join('')}`);
    // A stray byte of a multi-byte character: decoded as U+FFFD by both.
    if (broken && bytes.length > 0)
      bytes = Buffer.concat([bytes.subarray(0, 1), Buffer.from([0xe2, 0x82]), bytes.subarray(1)]);
    const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    return { bytes, at };
  });

function split(bytes: Buffer, at: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.subarray(from, a));
    from = a;
  }
  return out;
}

describe('LineSplitter', () => {
  it('gives the same items, line numbers and messages as LineReader on the decoded text, cut anywhere', () => {
    fc.assert(
      fc.property(input, ({ bytes, at }) => {
        const reader = new LineReader();
        const expected = [...reader.push(bytes.toString('utf8')), ...reader.end()];
        const splitter = new LineSplitter();
        const got: ReadItem[] = [];
        for (const chunk of split(bytes, at)) got.push(...splitter.push(chunk));
        got.push(...splitter.end());
        expect(got).toEqual(expected);
      }),
      { numRuns },
    );
  });
});
