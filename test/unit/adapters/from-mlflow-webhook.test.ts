import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isDefinitionError } from '../../../src/errors/definition-error.js';
import { fromMlflowWebhook } from '../../../src/events/adapters/from-mlflow-webhook.js';
import { VirtualClock } from '../../../src/testing/index.js';
import { DELIVERY_ID, mlflowBody, SENT_S, versionCreated } from './mlflow-fixtures.js';

const headers = { 'x-mlflow-delivery-id': DELIVERY_ID, 'x-mlflow-timestamp': String(SENT_S) };
const TIME = '2025-07-31T08:27:32.080217+00:00';
const SOURCE = '/mlflow/registry/model-registry';

function issuesOf(f: () => unknown): { code: string; path: unknown[]; value: unknown }[] {
  try {
    f();
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true);
    return (error as { issues: { code: string; path: unknown[]; value: unknown }[] }).issues;
  }
  throw new Error('expected a DefinitionError');
}

describe('fromMlflowWebhook: mapping', () => {
  it('model_version.created → artifact.created: version as integer, tags key=value, metadata kept', () => {
    const [event, ...rest] = fromMlflowWebhook(
      mlflowBody('model_version', 'created', versionCreated),
      headers,
    );
    expect(rest).toEqual([]);
    expect(event).toEqual({
      specversion: '1.0',
      id: DELIVERY_ID,
      source: SOURCE,
      type: 'artifact.created',
      subject: 'collections/example_model/versions/v1',
      time: TIME,
      data: {
        entity: 'mlflow',
        registry: 'model-registry',
        collection: 'example_model',
        version: 1,
        artifactType: 'model',
        tags: ['example_key=example_value'],
        metadata: {
          source: 'models:/123',
          run_id: 'abcd1234abcd5678',
          description: 'An example model version',
        },
      },
    });
  });

  it('entity and registry come from options, else the payload workspace, else mlflow/model-registry', () => {
    const body = mlflowBody('model_version_alias', 'created', { name: 'm', alias: 'champion', version: '3' });
    const [a] = fromMlflowWebhook(body, headers, undefined, {
      entity: 'acme',
      registry: 'models',
      source: '/mlflow',
    });
    expect(a).toMatchObject({ source: '/mlflow', data: { entity: 'acme', registry: 'models' } });
    const withWorkspace = JSON.stringify({ ...JSON.parse(body), workspace: 'team-a' });
    expect(fromMlflowWebhook(withWorkspace, headers)[0]?.data).toMatchObject({ entity: 'team-a' });
  });

  it('model_version_tag.set → artifact.tag.added; an empty value gives the key alone', () => {
    const set = (value: string) =>
      mlflowBody('model_version_tag', 'set', { name: 'm', version: '2', key: 'stage', value });
    expect(fromMlflowWebhook(set('production'), headers)[0]).toMatchObject({
      type: 'artifact.tag.added',
      data: { collection: 'm', version: 2, tag: 'stage=production' },
    });
    expect(fromMlflowWebhook(set(''), headers)[0]?.data).toMatchObject({ tag: 'stage' });
  });

  it('model_version_tag.deleted: MLflow omits the value, so it passes as a foreign event unless tagValue knows it', () => {
    const body = mlflowBody('model_version_tag', 'deleted', { name: 'm', version: '2', key: 'stage' });
    expect(fromMlflowWebhook(body, headers)[0]).toMatchObject({
      id: DELIVERY_ID,
      type: 'mlflow.model_version_tag.deleted',
      subject: 'collections/m/versions/v2',
      data: {
        name: 'm',
        version: '2',
        key: 'stage',
        entity: 'mlflow',
        registry: 'model-registry',
        collection: 'm',
      },
    });
    const tagValue = (model: string, version: number, key: string) =>
      model === 'm' && version === 2 && key === 'stage' ? 'production' : undefined;
    expect(fromMlflowWebhook(body, headers, undefined, { tagValue })[0]).toMatchObject({
      type: 'artifact.tag.removed',
      data: { collection: 'm', version: 2, tag: 'stage=production' },
    });
  });

  it('model_version_alias.created/.deleted → artifact.alias.added/.removed (the version from aliasVersion)', () => {
    const created = mlflowBody('model_version_alias', 'created', {
      name: 'm',
      alias: 'champion',
      version: '3',
    });
    expect(fromMlflowWebhook(created, headers)[0]).toMatchObject({
      type: 'artifact.alias.added',
      data: { collection: 'm', version: 3, alias: 'champion' },
    });
    const deleted = mlflowBody('model_version_alias', 'deleted', { name: 'm', alias: 'champion' });
    expect(fromMlflowWebhook(deleted, headers)[0]?.type).toBe('mlflow.model_version_alias.deleted');
    const removed = fromMlflowWebhook(deleted, headers, undefined, { aliasVersion: () => 3 })[0];
    expect(removed).toMatchObject({
      type: 'artifact.alias.removed',
      data: { version: 3, alias: 'champion' },
    });
  });

  it('registered_model.created → one collection.tag.added per tag, with distinct deterministic ids', () => {
    const body = mlflowBody('registered_model', 'created', {
      name: 'example_model',
      tags: { team: 'vision', tier: '' },
      description: 'An example registered model',
    });
    expect(
      fromMlflowWebhook(body, headers).map((e) => [e.type, e.id, (e.data as { tag: string }).tag]),
    ).toEqual([
      ['collection.tag.added', `${DELIVERY_ID}/tags/team`, 'team=vision'],
      ['collection.tag.added', `${DELIVERY_ID}/tags/tier`, 'tier'],
    ]);
    const untagged = mlflowBody('registered_model', 'created', { name: 'm', tags: {}, description: null });
    expect(fromMlflowWebhook(untagged, headers)).toEqual([]);
  });

  it('an unknown entity/action (e.g. prompt.created) passes as a foreign mlflow.* event', () => {
    const body = mlflowBody('prompt', 'created', { name: 'qa', tags: {} });
    expect(fromMlflowWebhook(body, headers)[0]).toMatchObject({
      type: 'mlflow.prompt.created',
      subject: 'collections/qa',
    });
  });

  it('ids are the delivery id (a redelivery maps to the same events); without one, a hash of the body', () => {
    const body = mlflowBody('model_version', 'created', versionCreated);
    expect(fromMlflowWebhook(body, headers)).toEqual(fromMlflowWebhook(Buffer.from(body), headers));
    const hash = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    expect(fromMlflowWebhook(body)[0]?.id).toBe(hash);
  });

  it('a parsed body is accepted when no secret is given', () => {
    const body = JSON.parse(mlflowBody('model_version', 'created', versionCreated)) as Record<
      string,
      unknown
    >;
    expect(fromMlflowWebhook(body, headers)[0]?.type).toBe('artifact.created');
  });

  it('without a payload timestamp, the X-MLflow-Timestamp header gives the time', () => {
    const body = JSON.stringify({
      entity: 'model_version_alias',
      action: 'created',
      data: { name: 'm', alias: 'a', version: 1 },
    });
    expect(fromMlflowWebhook(body, headers)[0]?.time).toBe(SENT_S * 1000);
  });

  it.each([
    ['a non-numeric version', { ...versionCreated, version: 'latest' }, ['data', 'version'], 'latest'],
    ['no name', { ...versionCreated, name: undefined }, ['data', 'name'], undefined],
    ['a tag that is not text', { ...versionCreated, tags: { a: 1 } }, ['data', 'tags', 'a'], 1],
  ])('bad payload (%s) throws DefinitionError naming the field and value', (_name, data, path, value) => {
    expect(
      issuesOf(() => fromMlflowWebhook(mlflowBody('model_version', 'created', data), headers))[0],
    ).toMatchObject({
      path,
      value,
    });
  });

  it('bad envelope, JSON and options are refused with the field named', () => {
    expect(issuesOf(() => fromMlflowWebhook('{"entity": "model_version"}'))[0]?.path).toEqual(['action']);
    expect(issuesOf(() => fromMlflowWebhook('{'))[0]).toMatchObject({
      code: 'invalid_format',
      path: ['body'],
    });
    const body = mlflowBody('model_version', 'created', versionCreated);
    expect(issuesOf(() => fromMlflowWebhook(body, headers, undefined, { entity: 'a/b' }))[0]?.path).toEqual([
      'options',
      'entity',
    ]);
    expect(
      issuesOf(() =>
        fromMlflowWebhook(body, headers, undefined, { clock: new VirtualClock(0), toleranceSeconds: -1 }),
      )[0]?.path,
    ).toEqual(['options', 'toleranceSeconds']);
  });

  it('a model name with "/" is refused by the events helpers, naming collection', () => {
    const body = mlflowBody('model_version', 'created', { ...versionCreated, name: 'a/b' });
    expect(issuesOf(() => fromMlflowWebhook(body, headers))[0]).toMatchObject({
      path: ['collection'],
      value: 'a/b',
    });
  });
});
