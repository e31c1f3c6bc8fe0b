import { z } from 'zod';
import { type EventGridFilter, eventGridFilterSchema } from './event-grid-filter.js';
import { type Scope, scopeSchema } from './scope.js';
import { forwardIssues } from './tagged.js';

/** An Event Grid-style subscription over any event, canonical or foreign; `scope` (optional) narrows it to events whose data names a place inside it. */
export type OnEvent = EventGridFilter & { readonly type: 'OnEvent'; readonly scope?: Scope };

export const onEventSchema = z
  .looseObject({ type: z.literal('OnEvent').optional(), scope: scopeSchema.optional() })
  .transform((t, ctx): OnEvent => {
    const { type: _type, scope, ...rest } = t;
    const filter = eventGridFilterSchema.safeParse(rest, { reportInput: true });
    if (!filter.success) {
      forwardIssues(filter.error.issues, ctx);
      return z.NEVER;
    }
    return { type: 'OnEvent', ...(scope !== undefined && { scope }), ...filter.data };
  });
