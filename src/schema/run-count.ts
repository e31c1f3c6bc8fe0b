import { z } from 'zod';
import { caselessEnum } from './caseless.js';
import { optional, strictObject } from './strict.js';

/** `OnRunState`'s count (§4.1): `atLeast` distinct runs of one project (or entity) within `withinMs` of event time. */
export type RunCount = {
  readonly atLeast: number;
  readonly withinMs: number;
  readonly per: 'project' | 'entity';
};

const per = caselessEnum<'project' | 'entity'>({ project: 'project', entity: 'entity' }, 'project or entity');

export const runCountSchema = strictObject('count', {
  atLeast: z.number().int().min(2).max(1000),
  withinMs: z
    .number()
    .int()
    .min(1)
    .max(366 * 24 * 3600_000),
  per: optional(per),
}).transform((c): RunCount => ({ atLeast: c.atLeast, withinMs: c.withinMs, per: c.per ?? 'project' }));
