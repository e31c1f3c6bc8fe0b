import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'ml-automations';

function readPackage(file: string): { readonly name?: unknown; readonly version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { readonly name?: unknown; readonly version?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * The version in the package's own package.json, found by walking up from `from` (this module): two levels up
 * both from src/cli/ (run by tsx) and from the bundled dist/cli/main.js, and robust to either moving.
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const pkg = readPackage(join(dir, 'package.json'));
    if (pkg?.name === NAME && typeof pkg.version === 'string') return pkg.version;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${NAME} above ${fileURLToPath(from)}`);
    dir = up;
  }
}
