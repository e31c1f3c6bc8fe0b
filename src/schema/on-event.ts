import { z } from 'zod';
import { type EventGridFilter, eventGridFilterFields, toEventGridFilter } from './event-grid-filter.js';
import { type Scope, scopeSchema } from './scope.js';
import { optional, strictObject } from './strict.js';

/** An Event Grid-style subscription over any event, canonical or foreign; `scope` (optional) narrows it to events whose data names a place inside it. */
export type OnEvent = EventGridFilter & { readonly type: 'OnEvent'; readonly scope?: Scope };

export const onEventSchema = strictObject('OnEvent', {
  type: z.literal('OnEvent').optional(),
  scope: optional(scopeSchema),
  ...eventGridFilterFields,
}).transform(
  ({ type: _type, scope, ...filter }): OnEvent => ({
    type: 'OnEvent',
    ...(scope !== undefined && { scope }),
    ...toEventGridFilter(filter),
  }),
);
