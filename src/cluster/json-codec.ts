// JSON for the logs that keeps NaN and ±Infinity (JSON would write null): a metric value of NaN must reach the
// worker, and a firing's evidence must read back as one engine made it.

const TAG = '__mla_number';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { [TAG]: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const tagged = (value as Record<string, unknown>)[TAG];
  return typeof tagged === 'string' && Object.keys(value).length === 1 ? Number(tagged) : value;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** The reviver runs only when a tag is there: most messages hold none, and JSON.parse is faster without one. */
export function decodeJson<T>(text: string): T {
  return (text.includes(TAG) ? JSON.parse(text, reviver) : JSON.parse(text)) as T;
}
