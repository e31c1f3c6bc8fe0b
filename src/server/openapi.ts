import { z } from 'zod';
import { automationJsonSchema, type JsonSchema } from '../index.js';
import { firingsQuerySchema } from './cluster-routes.js';
import {
  healthSchema,
  historyQuerySchema,
  importQuerySchema,
  importResultSchema,
  listQuerySchema,
  pageSchema,
} from './http-schemas.js';
import { eventAnswerSchema, intakeAnswerSchema } from './intake-answer.js';
import { problemSchema } from './problem.js';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: unknown, type = 'application/json') => ({ content: { [type]: { schema } } });
const problemResponse = (description: string) => ({
  description,
  ...content(ref('Problem'), 'application/problem+json'),
});

/** Query parameters of a route, from its zod query schema. */
function parameters(schema: z.ZodObject): unknown[] {
  const shape = json(schema, 'input') as { properties?: Record<string, unknown> };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: false,
    schema: s,
  }));
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } };
const common = {
  '401': problemResponse('No valid bearer token'),
  '403': problemResponse('Not allowed for this principal'),
  '429': problemResponse('Too many requests: intake saturated, or the token over its rate or concurrency'),
};
const intake = (summary: string, body: unknown) => ({
  post: {
    summary,
    requestBody: body,
    responses: {
      '202': {
        description: 'Accepted or duplicate, and checkpointed (cluster mode: stored in the log)',
        ...content(ref('IntakeAnswer')),
      },
      '400': problemResponse('Rejected: the issues name each field'),
      '413': problemResponse('Body over the limit'),
      '503': problemResponse('Applied but not saved (cluster mode: not all stored in the log): send again'),
      ...common,
    },
  },
});
const oneEngine = {
  '501': problemResponse('Cluster mode: kept by the workers; the problem says what to use'),
};
const clusterOnly = { '501': problemResponse('Not in cluster mode: use /history or /stats') };
const automation = (description: string, status = '200') => ({
  [status]: { description, headers: { ETag: { schema: { type: 'string' } } }, ...content(ref('Automation')) },
});

/** The OpenAPI 3.1 document: every schema in it comes from the zod schemas the routes validate with. */
export function openApiDocument(version: string): JsonSchema {
  const automationSchema = { ...automationJsonSchema(), $id: 'urn:ml-automations:automation' };
  delete (automationSchema as { $schema?: unknown }).$schema;
  return {
    openapi: '3.1.0',
    info: { title: 'ml-automations', version },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Automation: automationSchema,
        Problem: json(problemSchema),
        EventAnswer: json(eventAnswerSchema),
        IntakeAnswer: { oneOf: [ref('EventAnswer'), json(intakeAnswerSchema)] },
        Page: json(pageSchema),
        ImportResult: json(importResultSchema),
        Health: json(healthSchema),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/events': intake('CloudEvents (structured, binary or batch mode)', {
        content: { 'application/cloudevents+json': {}, 'application/cloudevents-batch+json': {}, '*/*': {} },
      }),
      '/eventgrid': intake(
        'Event Grid schema events; answers the subscription-validation handshake',
        content({}),
      ),
      '/mlflow': intake('An MLflow registry webhook, its signature verified', content({})),
      '/automations': {
        get: {
          summary: 'List automations (filter, pages)',
          parameters: parameters(listQuerySchema),
          responses: { '200': { description: 'A page', ...content(ref('Page')) }, ...common },
        },
        post: {
          summary: 'Create an automation',
          requestBody: content(ref('Automation')),
          responses: { ...automation('Created', '201'), '400': problemResponse('Invalid'), ...common },
        },
      },
      '/automations/{id}': {
        get: {
          summary: 'One automation',
          parameters: [idParam],
          responses: { ...automation('The automation'), ...common },
        },
        patch: {
          summary: 'Change fields; null unsets an optional one',
          parameters: [idParam, ifMatch],
          requestBody: content({ type: 'object' }, 'application/merge-patch+json'),
          responses: { ...automation('Updated'), '412': problemResponse('If-Match failed'), ...common },
        },
        delete: {
          summary: 'Delete',
          parameters: [idParam, ifMatch],
          responses: {
            '204': { description: 'Deleted' },
            '412': problemResponse('If-Match failed'),
            ...common,
          },
        },
      },
      '/automations/{id}/enable': {
        post: {
          summary: 'Enable',
          parameters: [idParam, ifMatch],
          responses: { ...automation('Enabled'), ...common },
        },
      },
      '/automations/{id}/disable': {
        post: {
          summary: 'Disable',
          parameters: [idParam, ifMatch],
          responses: { ...automation('Disabled'), ...common },
        },
      },
      '/automations/export': {
        get: {
          summary: 'Export every automation',
          responses: { '200': { description: 'The export document' }, ...common },
        },
      },
      '/automations/import': {
        post: {
          summary: 'Import an export, all or nothing',
          parameters: [...parameters(importQuerySchema), ifMatch],
          responses: { '200': { description: 'What changed', ...content(ref('ImportResult')) }, ...common },
        },
      },
      '/history': {
        get: {
          summary: 'Delivery records, newest first',
          parameters: parameters(historyQuerySchema),
          responses: { '200': { description: 'Records' }, ...oneEngine, ...common },
        },
      },
      '/dead-letters': {
        get: {
          summary: 'Dead-lettered deliveries',
          parameters: parameters(historyQuerySchema),
          responses: { '200': { description: 'Records' }, ...oneEngine, ...common },
        },
      },
      '/stats': {
        get: {
          summary: 'Engine counters',
          responses: { '200': { description: 'engine.stats()' }, ...oneEngine, ...common },
        },
      },
      '/firings': {
        get: {
          summary: "Cluster mode: the cluster's firing log, in log order ({ items, nextCursor? })",
          parameters: parameters(firingsQuerySchema),
          responses: { '200': { description: 'Firings' }, ...clusterOnly, ...common },
        },
      },
      '/cluster': {
        get: {
          summary: 'Cluster mode: partitions, owners, lag, snapshots, workers, revision (clusterStatus)',
          responses: { '200': { description: 'The cluster status' }, ...clusterOnly, ...common },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Text format' }, ...common },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          security: [],
          responses: { '200': { description: 'Alive', ...content(ref('Health')) } },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness',
          security: [],
          responses: {
            '200': { description: 'Ready', ...content(ref('Health')) },
            '503': { description: 'Not ready', ...content(ref('Health')) },
          },
        },
      },
    },
  };
}
