import { caselessEnum } from './caseless.js';

export type Severity = 'INFO' | 'WARN' | 'ERROR';

/** A notification's severity, in any case, as W&B's SDK upper-cases it (`info`, `Warn` → INFO, WARN). */
export const severitySchema = caselessEnum<Severity>(
  { info: 'INFO', warn: 'WARN', error: 'ERROR' },
  'INFO, WARN or ERROR',
);
