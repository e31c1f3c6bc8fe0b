import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type CloudEvent,
  type EventGridValidation,
  eventGridValidationResponse,
  fromCloudEvent,
  fromCloudEventBatch,
  fromEventGrid,
  fromMlflowWebhook,
  type IngestResult,
} from '../index.js';
import { answerOf, rejectionOf } from './intake-answer.js';
import { problem, sendProblem } from './problem.js';
import type { ServerContext } from './server-context.js';

const BATCH = /^application\/cloudevents-batch\+json\s*(;|$)/i;

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** JSON text to a value; a DefinitionError-shaped 400 when it is not JSON. */
function parseJson(body: Buffer, reply: FastifyReply): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    sendProblem(
      reply,
      problem(400, 'validation', 'The request is not valid', {
        issues: [{ code: 'invalid_format', path: ['body'], message: 'not JSON', value: undefined }],
      }),
    );
    return { ok: false };
  }
}

/**
 * The intake routes. Each answers from the events' outcomes: 202 when every event was accepted or a duplicate,
 * after a checkpoint holds them (nothing is lost once a 2xx is sent); 400 naming the issues otherwise. The
 * adapters do every check; this file only picks the adapter and the status.
 */
export function intakeRoutes(context: ServerContext) {
  const answer = async (reply: FastifyReply, events: readonly CloudEvent[], batch: boolean) => {
    const results = await context.intake.submit(events);
    const rejected = rejectionOf(results, batch);
    if (rejected !== undefined) return sendProblem(reply, rejected);
    return reply
      .code(202)
      .send(batch ? { results: results.map(answerOf) } : answerOf(results[0] as IngestResult));
  };

  return async (app: FastifyInstance): Promise<void> => {
    // Intake reads every body as bytes: the adapters need them raw (signatures, binary mode) and parse themselves.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const intake = { config: { access: 'intake' as const } };

    // Event Grid's CloudEvents abuse protection (a webhook must agree to receive): every origin may deliver.
    const allowOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
      const origin = request.headers['webhook-request-origin'];
      if (typeof origin === 'string') reply.header('webhook-allowed-origin', origin);
      return reply.header('webhook-allowed-rate', '*').header('allow', 'POST, OPTIONS').code(200).send();
    };
    app.options('/events', { config: { access: 'public' } }, allowOrigin);
    app.options('/eventgrid', { config: { access: 'public' } }, allowOrigin);

    app.post('/events', intake, async (request, reply) => {
      const message = { headers: request.headers, body: rawBody(request) };
      const contentType = request.headers['content-type'] ?? '';
      if (BATCH.test(contentType)) return answer(reply, fromCloudEventBatch(message), true);
      return answer(reply, [fromCloudEvent(message)], false);
    });

    app.post('/eventgrid', intake, async (request, reply) => {
      const json = parseJson(rawBody(request), reply);
      if (!json.ok) return reply;
      let validation: EventGridValidation | undefined;
      const converted = fromEventGrid(json.value, {
        onValidation: (v) => {
          validation = v;
        },
      });
      const events = converted === undefined ? [] : Array.isArray(converted) ? converted : [converted];
      if (validation !== undefined) {
        // The handshake comes alone; should events come with it, they are applied and kept all the same.
        if (events.length > 0) await context.intake.submit(events);
        return reply.code(200).send(eventGridValidationResponse(validation.validationCode));
      }
      return answer(reply, events, Array.isArray(json.value));
    });

    app.post('/mlflow', { config: { access: 'mlflow' as const } }, async (request, reply) => {
      const mlflow = context.mlflow;
      if (mlflow === undefined)
        return sendProblem(reply, problem(404, 'not-configured', 'MLflow webhooks are not configured'));
      const events = fromMlflowWebhook(rawBody(request), request.headers, mlflow.secret, {
        clock: context.clock,
        ...(mlflow.entity !== undefined && { entity: mlflow.entity }),
        ...(mlflow.registry !== undefined && { registry: mlflow.registry }),
      });
      return answer(reply, events, true);
    });
  };
}
