import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, tempDir } from './cli-fixture.js';
import { type CaseOutput, runCases } from './replay-output-cases.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const golden = JSON.parse(
  readFileSync(new URL('./replay-output.golden.json', import.meta.url), 'utf8'),
) as Record<string, CaseOutput>;

describe('the replay output, byte for byte as recorded before the replay was made faster', () => {
  it('every format, limit, range, report, bad line, gzip, array and stdin case', async () => {
    const now = await runCases(cli, t.dir);
    expect(Object.keys(now)).toEqual(Object.keys(golden));
    for (const [name, expected] of Object.entries(golden))
      expect({ name, ...now[name] }).toEqual({ name, ...expected });
  }, 60_000);
});
