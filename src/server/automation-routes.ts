import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthorizedAutomations, type Automation, NotFoundError, parseAutomation } from '../index.js';
import { etagOf, ifMatchPasses } from './etag.js';
import { createBodySchema, importQuerySchema, listQuerySchema, parseRequest } from './http-schemas.js';
import { PreconditionFailed } from './problem.js';
import type { ServerContext } from './server-context.js';

type IdParams = { readonly id: string };

/**
 * REST over `AuthorizedAutomations` (the engine's `as(principal)`, or the cluster's definitions): every read and
 * change is asked of `authorize`, which fails closed. A change is answered once it is durable (a checkpoint, or
 * a new cluster revision); `If-Match` makes it conditional on the ETag the client last saw (412), checked on the
 * same state the change is made on.
 */
export function automationRoutes(context: ServerContext) {
  const { automations } = context;

  const send = (reply: FastifyReply, automation: Automation, status = 200) =>
    reply.code(status).header('etag', etagOf(automation)).send(automation);

  /** The automation as it is, or NotFound / PreconditionFailed: checked on the state the change is made on. */
  const current = (view: AuthorizedAutomations, request: FastifyRequest<{ Params: IdParams }>) => {
    const found = view.get(request.params.id);
    if (found === undefined) throw new NotFoundError(request.params.id);
    if (!ifMatchPasses(request.headers['if-match'], etagOf(found)))
      throw new PreconditionFailed('The automation changed since it was read');
    return found;
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );
    const read = { config: { access: 'read' as const } };
    const manage = { config: { access: 'manage' as const } };

    app.get('/automations', read, async (request, reply) => {
      const q = parseRequest(listQuerySchema, request.query, 'query');
      const all = (await automations.view(request.principal)).list({
        ...(q.name !== undefined && { name: q.name }),
        ...(q.scope !== undefined && { scope: q.scope }),
        ...(q.enabled !== undefined && { enabled: q.enabled }),
      });
      const start = q.cursor === undefined ? 0 : Number(q.cursor);
      const items = all.slice(start, start + q.limit);
      const next = start + q.limit < all.length ? String(start + q.limit) : undefined;
      if (next !== undefined)
        reply.header('link', `</automations?limit=${q.limit}&cursor=${next}>; rel="next"`);
      return { items, ...(next !== undefined && { nextCursor: next }) };
    });

    app.post('/automations', manage, async (request, reply) => {
      const { id, ...draft } = parseRequest(createBodySchema, request.body, 'body');
      const automation = parseAutomation(draft);
      const saved = await automations.change(request.principal, (view) =>
        view.save(automation, id === undefined ? {} : { id }),
      );
      return send(reply.header('location', `/automations/${encodeURIComponent(saved.id)}`), saved, 201);
    });

    app.get('/automations/export', read, async (request, reply) => {
      const exported = (await automations.view(request.principal)).exportAutomations();
      return reply.header('etag', etagOf(exported)).send(exported);
    });

    app.post('/automations/import', manage, async (request) => {
      const { mode } = parseRequest(importQuerySchema, request.query, 'query');
      return automations.change(request.principal, (view) => {
        if (!ifMatchPasses(request.headers['if-match'], etagOf(view.exportAutomations())))
          throw new PreconditionFailed('The automations changed since they were exported');
        return view.importAutomations(request.body, { mode });
      });
    });

    app.get<{ Params: IdParams }>('/automations/:id', read, async (request, reply) => {
      const found = (await automations.view(request.principal)).get(request.params.id);
      if (found === undefined) throw new NotFoundError(request.params.id);
      return send(reply, found);
    });

    app.patch<{ Params: IdParams }>('/automations/:id', manage, async (request, reply) => {
      const updated = await automations.change(request.principal, (view) => {
        current(view, request);
        return view.update(request.params.id, request.body as never);
      });
      return send(reply, updated);
    });

    for (const verb of ['enable', 'disable'] as const)
      app.post<{ Params: IdParams }>(`/automations/:id/${verb}`, manage, async (request, reply) => {
        const changed = await automations.change(request.principal, (view) => {
          current(view, request);
          return view[verb](request.params.id);
        });
        return send(reply, changed);
      });

    app.delete<{ Params: IdParams }>('/automations/:id', manage, async (request, reply) => {
      await automations.change(request.principal, (view) => {
        current(view, request);
        return view.delete(request.params.id);
      });
      return reply.code(204).send();
    });
  };
}
