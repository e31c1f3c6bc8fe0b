import { once } from 'node:events';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonArrayParser } from '../../../src/cli/json-array-parser.js';
import { LineReader, openEvents, readEvents } from '../../../src/cli/read-events.js';
import type { ReadItem } from '../../../src/cli/read-item.js';
import { tempDir, writeLines } from './cli-fixture.js';

async function readAll(text: string | Buffer, chunkSize = 7): Promise<ReadItem[]> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: ReadItem[] = [];
  for await (const batch of readEvents(Readable.from(chunks))) out.push(...batch);
  return out;
}

const good = (items: readonly ReadItem[]) => items.flatMap((i) => (i.ok ? [[i.line, i.value]] : []));
const bad = (items: readonly ReadItem[]) => items.flatMap((i) => (i.ok ? [] : [[i.line, i.message]]));

describe('JSON Lines', () => {
  it('reads one value a line, with the line number, across chunk boundaries', async () => {
    const items = await readAll('{"a":1}\n{"a":2}\r\n\n   \n{"a":"é…ü"}\n{"a":4}');
    expect(good(items)).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
      [5, { a: 'é…ü' }],
      [6, { a: 4 }],
    ]);
    expect(bad(items)).toEqual([]);
  });

  it('reports a bad line with its number and what is wrong, and goes on', async () => {
    const items = await readAll('{"a":1}\n{"a":\n{"a":3}\nnot json at all\n');
    expect(good(items).map(([line]) => line)).toEqual([1, 3]);
    const problems = bad(items);
    expect(problems.map(([line]) => line)).toEqual([2, 4]);
    expect(problems[0]?.[1]).toMatch(/^not JSON \(.+\): \{"a":$/);
    expect(problems[1]?.[1]).toMatch(/^not JSON \(.+\): not json at all$/);
  });

  it('accepts a byte-order mark', async () => {
    expect(good(await readAll('\uFEFF{"a":1}\n'))).toEqual([[1, { a: 1 }]]);
  });

  it('reads nothing from empty or blank input', async () => {
    expect(await readAll('')).toEqual([]);
    expect(await readAll('\n \n\t\n')).toEqual([]);
  });

  it('LineReader keeps a partial line until the rest arrives', () => {
    const r = new LineReader();
    expect(r.push('{"a":')).toEqual([]);
    expect(r.push('1}\n{"b"')).toEqual([{ ok: true, line: 1, value: { a: 1 } }]);
    expect(r.push(':2}')).toEqual([]);
    expect(r.end()).toEqual([{ ok: true, line: 2, value: { b: 2 } }]);
  });
});

describe('JSON arrays, streamed element by element', () => {
  const text = `[
  {"id": "a", "nested": {"list": [1, 2, {"x": "],}{["}]}},
  {"id": "b", "quote": "say \\"hi\\" \\\\"},
  7, "eight", null, [9, [10]],
  {"id": "c"}
]
`;

  it('gives exactly what JSON.parse gives, however the input is cut', () => {
    const expected = JSON.parse(text) as unknown[];
    for (let cut = 0; cut <= text.length; cut++) {
      for (const size of [1, 3]) {
        const p = new JsonArrayParser();
        const items = [...p.push(text.slice(0, cut))];
        for (let i = cut; i < text.length; i += size) items.push(...p.push(text.slice(i, i + size)));
        items.push(...p.end());
        expect(items.every((i) => i.ok)).toBe(true);
        expect(items.map((i) => (i.ok ? i.value : undefined))).toEqual(expected);
      }
    }
  });

  it('numbers each element by the line it starts on', async () => {
    const items = await readAll(text);
    expect(items.map((i) => i.line)).toEqual([2, 3, 4, 4, 4, 4, 5]);
  });

  it('reports a bad element with its line and reads the ones after it', async () => {
    const items = await readAll('[\n{"a": 1},\n{"a": nan},\n{"a": 3}\n]');
    expect(good(items)).toEqual([
      [2, { a: 1 }],
      [4, { a: 3 }],
    ]);
    expect(bad(items)).toEqual([[3, expect.stringMatching(/^not JSON \(.+\): \{"a": nan\}$/)]]);
  });

  it('reports empty elements, text after the array, and an array left open', async () => {
    expect(bad(await readAll('[1,,2]'))).toEqual([[1, expect.stringMatching(/empty array element/)]]);
    expect(bad(await readAll('[1,2,]'))).toEqual([[1, expect.stringMatching(/empty array element/)]]);
    expect(bad(await readAll('[1]\n\n{"more": true}'))).toEqual([
      [3, expect.stringMatching(/after the end/)],
    ]);
    expect(bad(await readAll('[1,\n{"a": [2'))).toEqual([[2, expect.stringMatching(/input ended inside/)]]);
    expect(await readAll('[]')).toEqual([]);
    expect(await readAll('  \n [ ] \n')).toEqual([]);
  });

  it('is chosen by a leading `[`; anything else is JSON Lines', async () => {
    expect(good(await readAll('\n\n  [{"a":1}]'))).toEqual([[3, { a: 1 }]]);
    expect(good(await readAll('{"a":1}\n[2]\n'))).toEqual([
      [1, { a: 1 }],
      [2, [2]],
    ]);
  });
});

describe('files', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('gunzips *.gz', async () => {
    const path = writeLines(t.path('events.jsonl.gz'), [{ a: 1 }, 'oops', { a: 3 }]);
    const items: ReadItem[] = [];
    for await (const batch of readEvents(openEvents(path, Readable.from([])).stream)) items.push(...batch);
    expect(good(items)).toEqual([
      [1, { a: 1 }],
      [3, { a: 3 }],
    ]);
    expect(bad(items).map(([line]) => line)).toEqual([2]);
  });

  it('reports the file size and the bytes read so far', async () => {
    const path = writeLines(t.path('sized.jsonl'), [{ a: 1 }]);
    const source = openEvents(path, Readable.from([]));
    expect(source.size).toBe(statSync(path).size);
    for await (const _ of readEvents(source.stream));
    expect(source.bytesRead()).toBe(statSync(path).size);
  });

  it('for *.gz, counts the compressed bytes consumed and the unpacked text apart', async () => {
    const path = writeLines(t.path('counted.jsonl.gz'), [{ a: 1 }, { b: 'x'.repeat(5000) }]);
    const source = openEvents(path, Readable.from([]));
    expect(source.gzip).toBe(true);
    for await (const _ of readEvents(source.stream));
    expect(source.bytesRead()).toBe(statSync(path).size);
    expect(source.textBytes()).toBe(gunzipSync(readFileSync(path)).length);
    expect(source.textBytes()).toBeGreaterThan(5000);
    expect(source.bytesRead()).toBeLessThan(500);
  });

  it('throws when the file cannot be opened', () => {
    expect(() => openEvents(t.path('absent.jsonl'), Readable.from([]))).toThrow(/ENOENT/);
  });
});

describe('a large file is streamed, never loaded whole', () => {
  const t = tempDir();
  const LINES = 200_000;
  let path = '';
  let gzPath = '';
  beforeAll(async () => {
    path = t.path('large.jsonl');
    gzPath = t.path('large.jsonl.gz');
    const plain = createWriteStream(path);
    const gzip = createGzip();
    gzip.pipe(createWriteStream(gzPath));
    const padding = 'x'.repeat(200);
    for (let i = 0; i < LINES; i += 1000) {
      let block = '';
      for (let j = i; j < i + 1000; j++)
        block += `{"specversion":"1.0","id":"e${j}","source":"/acme/vision","type":"run.metrics","pad":"${padding}"}\n`;
      if (!plain.write(block)) await once(plain, 'drain');
      if (!gzip.write(block)) await once(gzip, 'drain');
    }
    plain.end();
    gzip.end();
    await Promise.all([once(plain, 'close'), once(gzip, 'end')]);
  }, 60_000);
  afterAll(() => t.cleanup());

  it('yields the first events long before the end of the file, and holds one chunk at a time', async () => {
    const source = openEvents(path, Readable.from([]));
    const size = source.size ?? 0;
    expect(size).toBeGreaterThan(50 * 1024 * 1024);
    let count = 0;
    let readAtFirst = -1;
    let maxBatch = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    for await (const batch of readEvents(source.stream)) {
      if (readAtFirst < 0) readAtFirst = source.bytesRead();
      count += batch.length;
      maxBatch = Math.max(maxBatch, batch.length);
      if (count % 20_000 < batch.length) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(LINES);
    // The first batch came when a sliver of the file had been read.
    expect(readAtFirst).toBeLessThan(size / 100);
    // Batches follow the read chunks (64 KiB): a few hundred lines, never the file.
    expect(maxBatch).toBeLessThan(1000);
    // Loose: the heap grows by far less than the file's 50+ MB (garbage not yet collected included).
    expect(heapPeak - heapBefore).toBeLessThan(size / 2);
  });

  it('streams gzip too', async () => {
    const source = openEvents(gzPath, Readable.from([]));
    let count = 0;
    let readAtFirst = -1;
    for await (const batch of readEvents(source.stream)) {
      if (readAtFirst < 0) readAtFirst = source.bytesRead();
      count += batch.length;
    }
    expect(count).toBe(LINES);
    expect(readAtFirst).toBeLessThan((source.size ?? 0) / 2);
  });
});
