import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, isDefinitionError } from '../../src/index.js';
import { redact, secretForms } from '../../src/sinks/delivery/redact.js';

const NUM_RUNS = Number(process.env['FC_RUNS'] ?? 200);
const SECRET = 'sk-"a\\b/c+d%e f=é😀';

describe('redact', () => {
  it('hides a secret as it is, JSON-escaped, URL-encoded and form-encoded', () => {
    const secrets = [SECRET];
    const json = JSON.stringify(SECRET).slice(1, -1);
    for (const form of [
      SECRET,
      json,
      json.replaceAll('/', '\\/'),
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).toLowerCase(),
      encodeURIComponent(SECRET).replaceAll('%20', '+'),
      new URLSearchParams({ q: SECRET }).toString().slice(2),
      'sk-\\"a\\\\b/c+d%e f=\\u00e9\\ud83d\\ude00',
    ]) {
      expect(redact(`before ${form} after`, secrets)).toBe('before [redacted] after');
    }
  });

  it('leaves text without the secret alone, and ignores secrets under four characters', () => {
    expect(redact('nothing to see', [SECRET, 'abc'])).toBe('nothing to see');
    expect(secretForms('abc')).toEqual([]);
  });

  it('a text cut short loses a secret begun at its end, when it says it was cut', () => {
    const text = `status 500: got ${SECRET.slice(0, 9)}`;
    expect(redact(text, [SECRET])).toBe(text);
    expect(redact(text, [SECRET], { truncated: true })).toBe('status 500: got [redacted]');
  });

  it('property: no form of any secret survives in any text', () => {
    // JSON and URL specials, any grapheme, and any UTF-16 unit (lone surrogates included).
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', '/', '+', '%', ' ', '&', '=', '\n', '\u0000', '\u2028'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const secret = fc.string({ unit, minLength: 4, maxLength: 40 });
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (s, before, after) => {
        const secrets = [s];
        // A form may survive only where the text around it already held it: never by slipping through.
        const kept = secretForms(s).filter(
          (form) =>
            redact(`${before}${form}${after}`, secrets).includes(form) && !`${before}${after}`.includes(form),
        );
        expect(kept).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('the engine never echoes an integration it refuses', () => {
  it('a bare webhook URL given as an integration is shown as [redacted]', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/bareTokenX9';
    try {
      createEngine({ integrations: { alerts: url as never } });
      expect.unreachable();
    } catch (error) {
      expect(isDefinitionError(error) && error.issues).toMatchObject([
        { path: ['integrations', 'alerts'], value: '[redacted]' },
      ]);
      expect(JSON.stringify((error as { issues: unknown }).issues)).not.toContain('bareTokenX9');
    }
  });
});
