const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  nan: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

/** A metric value as the engine reads it: a number, or NaN/Infinity spelled as text; anything else is not logged. */
export function metricValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : undefined;
  return undefined;
}
