import fc from 'fast-check';
import { expect, it } from 'vitest';
import { utcTimeMs } from '../../src/events/utc-time.js';
import { rfc3339 } from '../../src/schema/cloud-event.js';

const runs = Number(process.env['FC_RUNS'] ?? 1000);

/** What the full path answers: the schema's RFC 3339 pattern, then Date.parse. */
const full = (text: string): number | undefined =>
  rfc3339.safeParse(text).success ? Date.parse(text) : undefined;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** Fields drawn around their limits (month 13, day 31 of a 30-day month, February 29, hour 24, …). */
const shaped = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 99, 100)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    ms: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:` +
      `${pad(t.second, 2)}${t.ms === undefined ? '' : `.${pad(t.ms, 3)}`}Z`,
  );
/** A shaped time with one character changed, dropped or doubled: separators, signs, letters, lower case. */
const mangled = fc
  .tuple(
    shaped,
    fc.nat(),
    fc.constantFrom('', 'z', 't', ' ', '+', '-', ':', '.', '/', 'a', '0', '9', '٣', '00'),
  )
  .map(([text, at, c]) => {
    const i = at % text.length;
    return text.slice(0, i) + c + text.slice(i + 1);
  });

it('the hand reader of the usual form answers as the schema and Date.parse do, or leaves the text to them', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        shaped,
        mangled,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      (text) => {
        const fast = utcTimeMs(text);
        // Undefined means "not mine": the full path reads it. A number must be the full path's number.
        if (fast !== undefined) expect(fast).toBe(full(text));
        // And every time toISOString writes for years from 100 on, with or without its fraction, is its own.
        if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/.test(text) && Number(text.slice(0, 4)) >= 100)
          expect(fast).toBe(full(text));
      },
    ),
    { numRuns: runs },
  );
});

it('examples: the usual forms, and texts it leaves to the full path', () => {
  expect(utcTimeMs('2026-01-02T03:04:05.678Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  expect(utcTimeMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  for (const left of [
    '2023-02-29T00:00:00Z',
    '2026-01-02T03:04:05.678+00:00',
    '2026-01-02T03:04:05.67Z',
    '0099-01-01T00:00:00Z',
  ])
    expect(utcTimeMs(left)).toBeUndefined();
});
