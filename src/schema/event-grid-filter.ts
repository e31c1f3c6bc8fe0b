import { z } from 'zod';
import { type AdvancedFilter, type AdvancedFilterInput, advancedFilterSchema } from './advanced-filter.js';
import { strictObject } from './strict.js';

export {
  ADVANCED_OPERATORS,
  type AdvancedFilter,
  type AdvancedFilterInput,
  type AdvancedOperator,
  MAX_FILTER_STRING_LENGTH,
} from './advanced-filter.js';

export const MAX_ADVANCED_FILTERS = 25;
export const MAX_FILTER_VALUES = 25;

/**
 * An Event Grid subscription filter, normalised: defaults applied, and a field that constrains nothing
 * (all event types, an empty subject prefix or suffix, no advanced filters) is left out.
 */
export type EventGridFilter = {
  /** Absent = every type. Matched exactly but ignoring case. */
  readonly includedEventTypes?: readonly string[];
  readonly subjectBeginsWith?: string;
  readonly subjectEndsWith?: string;
  readonly isSubjectCaseSensitive: boolean;
  readonly enableAdvancedFilteringOnArrays: boolean;
  readonly advancedFilters?: readonly AdvancedFilter[];
};

/** What a user may write: Azure's own subscription JSON, `null`s included. */
export type EventGridFilterInput = {
  readonly includedEventTypes?: readonly string[] | null;
  readonly subjectBeginsWith?: string | null;
  readonly subjectEndsWith?: string | null;
  /** @default false */
  readonly isSubjectCaseSensitive?: boolean | null;
  /** @default false */
  readonly enableAdvancedFilteringOnArrays?: boolean | null;
  readonly advancedFilters?: readonly AdvancedFilterInput[] | null;
};

// As long as the CloudEvent fields they are compared with, so no filter is refused that could match.
const MAX_EVENT_TYPE_LENGTH = 1024;
const MAX_SUBJECT_FILTER_LENGTH = 4096;

/** What one filter spends of the 25-value budget: a `value` or a range pair counts as one. */
function valueCount(filter: AdvancedFilter): number {
  if ('values' in filter) return filter.values.length;
  return 'value' in filter ? 1 : 0;
}

const advancedFiltersSchema = z
  .array(advancedFilterSchema)
  .max(MAX_ADVANCED_FILTERS, { message: `at most ${MAX_ADVANCED_FILTERS} advanced filters` })
  .superRefine((filters, ctx) => {
    const total = filters.reduce((sum, f) => sum + valueCount(f), 0);
    if (total <= MAX_FILTER_VALUES) return;
    let before = 0;
    for (const [index, filter] of filters.entries()) {
      const count = valueCount(filter);
      if (before + count > MAX_FILTER_VALUES) {
        const at = MAX_FILTER_VALUES - before;
        ctx.addIssue({
          code: 'custom',
          path: 'values' in filter ? [index, 'values', at] : [index, 'value'],
          message: `advanced filters hold ${total} values in all, at most ${MAX_FILTER_VALUES} are allowed (a \`value\` or a range pair counts as one)`,
          input: 'values' in filter ? filter.values[at] : 'value' in filter ? filter.value : undefined,
          params: { code: 'too_big' },
        });
        return;
      }
      before += count;
    }
  });

// Event types match ignoring case, so 'all' and 'ALL' mean every type as 'All' does.
const ALL = 'ALL';
const subjectFilter = z.string().max(MAX_SUBJECT_FILTER_LENGTH).nullish();

/** The fields of an Event Grid filter, for `OnEvent`, which adds its own `type` and `scope` beside them. */
export const eventGridFilterFields = {
  includedEventTypes: z
    .array(z.string().min(1).max(MAX_EVENT_TYPE_LENGTH))
    // An empty list reads as "nothing", which would silently never fire; Azure's way to say "all" is null or 'All'.
    .min(1, {
      message: "list at least one event type; leave the field out, or write 'All', for every type",
    })
    .nullish(),
  subjectBeginsWith: subjectFilter,
  subjectEndsWith: subjectFilter,
  isSubjectCaseSensitive: z.boolean().nullish(),
  enableAdvancedFilteringOnArrays: z.boolean().nullish(),
  advancedFilters: advancedFiltersSchema.nullish(),
};

type EventGridFilterFields = z.output<z.ZodObject<typeof eventGridFilterFields>>;

/** Defaults applied, and a field that constrains nothing left out. */
export function toEventGridFilter(f: EventGridFilterFields): EventGridFilter {
  const types = f.includedEventTypes;
  const allTypes = types === undefined || types === null || types.some((t) => t.toUpperCase() === ALL);
  return {
    ...(!allTypes && { includedEventTypes: types }),
    ...(typeof f.subjectBeginsWith === 'string' &&
      f.subjectBeginsWith !== '' && { subjectBeginsWith: f.subjectBeginsWith }),
    ...(typeof f.subjectEndsWith === 'string' &&
      f.subjectEndsWith !== '' && { subjectEndsWith: f.subjectEndsWith }),
    isSubjectCaseSensitive: f.isSubjectCaseSensitive ?? false,
    enableAdvancedFilteringOnArrays: f.enableAdvancedFilteringOnArrays ?? false,
    ...(f.advancedFilters !== undefined &&
      f.advancedFilters !== null &&
      f.advancedFilters.length > 0 && { advancedFilters: f.advancedFilters }),
  };
}

export const eventGridFilterSchema = strictObject('an Event Grid filter', eventGridFilterFields).transform(
  toEventGridFilter,
);
