import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthorizedAutomations, type Automation, NotFoundError, parseAutomation } from '../index.js';
import { etagOf, ifMatchPasses } from './etag.js';
import { createBodySchema, importQuerySchema, listQuerySchema, parseRequest } from './http-schemas.js';
import { problem, sendProblem } from './problem.js';
import type { ServerContext } from './server-context.js';

type IdParams = { readonly id: string };

/**
 * REST over `engine.as(principal)`: every read and change is asked of `authorize`, which fails closed. A change
 * is answered once a checkpoint holds it; `If-Match` makes it conditional on the ETag the client last saw (412).
 */
export function automationRoutes(context: ServerContext) {
  const as = (request: FastifyRequest): AuthorizedAutomations => context.engine.as(request.principal);

  const send = (reply: FastifyReply, automation: Automation, status = 200) =>
    reply.code(status).header('etag', etagOf(automation)).send(automation);

  /** The automation as it is, or a 404 / 412 answer; the check and the change happen in one turn of the loop. */
  const current = (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply) => {
    const found = as(request).get(request.params.id);
    if (found === undefined) throw new NotFoundError(request.params.id);
    if (!ifMatchPasses(request.headers['if-match'], etagOf(found))) {
      sendProblem(reply, problem(412, 'precondition-failed', 'The automation changed since it was read'));
      return undefined;
    }
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
      const all = as(request).list({
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
      const saved = as(request).save(parseAutomation(draft), id === undefined ? {} : { id });
      await context.durable();
      return send(reply.header('location', `/automations/${encodeURIComponent(saved.id)}`), saved, 201);
    });

    app.get('/automations/export', read, async (request, reply) => {
      const exported = as(request).exportAutomations();
      return reply.header('etag', etagOf(exported)).send(exported);
    });

    app.post('/automations/import', manage, async (request, reply) => {
      const { mode } = parseRequest(importQuerySchema, request.query, 'query');
      const view = as(request);
      if (!ifMatchPasses(request.headers['if-match'], etagOf(view.exportAutomations())))
        return sendProblem(
          reply,
          problem(412, 'precondition-failed', 'The automations changed since they were exported'),
        );
      const result = view.importAutomations(request.body, { mode });
      await context.durable();
      return result;
    });

    app.get<{ Params: IdParams }>('/automations/:id', read, async (request, reply) => {
      const found = as(request).get(request.params.id);
      if (found === undefined) throw new NotFoundError(request.params.id);
      return send(reply, found);
    });

    app.patch<{ Params: IdParams }>('/automations/:id', manage, async (request, reply) => {
      if (current(request, reply) === undefined) return reply;
      const updated = as(request).update(request.params.id, request.body as never);
      await context.durable();
      return send(reply, updated);
    });

    for (const verb of ['enable', 'disable'] as const)
      app.post<{ Params: IdParams }>(`/automations/:id/${verb}`, manage, async (request, reply) => {
        if (current(request, reply) === undefined) return reply;
        const changed = as(request)[verb](request.params.id);
        await context.durable();
        return send(reply, changed);
      });

    app.delete<{ Params: IdParams }>('/automations/:id', manage, async (request, reply) => {
      if (current(request, reply) === undefined) return reply;
      as(request).delete(request.params.id);
      await context.durable();
      return reply.code(204).send();
    });
  };
}
