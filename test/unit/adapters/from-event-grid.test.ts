import { describe, expect, it, vi } from 'vitest';
import { isDefinitionError } from '../../../src/errors/definition-error.js';
import {
  EventGridValidationError,
  isEventGridValidationError,
} from '../../../src/events/adapters/event-grid-validation-error.js';
import { eventGridValidationResponse, fromEventGrid } from '../../../src/events/adapters/from-event-grid.js';

const TOPIC =
  '/subscriptions/{subscription-id}/resourceGroups/{resource-group-name}/providers/Microsoft.MachineLearningServices/workspaces/{workspace-name}';

/** As Azure documents it (event-schema-machine-learning.md, Event Grid event schema tab). */
const modelRegistered = {
  topic: TOPIC,
  subject: 'models/sklearn_regression_model:20',
  eventType: 'Microsoft.MachineLearningServices.ModelRegistered',
  eventTime: '2017-06-26T18:41:00.9584103Z',
  id: '831e1650-001e-001b-66ab-eeb76e069631',
  data: {
    ModelName: 'sklearn_regression_model',
    ModelVersion: 20,
    ModelTags: { area: 'diabetes', type: 'regression' },
    ModelProperties: { type: 'test' },
  },
  dataVersion: '',
  metadataVersion: '1',
};

const runCompleted = {
  topic: TOPIC,
  subject:
    'experiments/0fa9dfaa-cba3-4fa7-b590-23e48548f5c1/runs/AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5',
  eventType: 'Microsoft.MachineLearningServices.RunCompleted',
  eventTime: '2017-06-26T18:41:00.9584103Z',
  id: '831e1650-001e-001b-66ab-eeb76e069632',
  data: {
    experimentId: '0fa9dfaa-cba3-4fa7-b590-23e48548f5c1',
    experimentName: 'automl-local-regression',
    runId: 'AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5',
    runType: null,
    runTags: {},
    runProperties: { runTemplate: 'automl_child', iteration: '5' },
  },
  dataVersion: '1.0',
  metadataVersion: '1',
};

const validation = {
  id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
  topic: '/subscriptions/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
  subject: '',
  data: {
    validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    validationUrl:
      'https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A',
  },
  eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
  eventTime: '2022-10-28T04:23:35.1981776Z',
  metadataVersion: '1',
  dataVersion: '1',
};

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('fromEventGrid (SEMANTICS §1)', () => {
  it('maps an Azure ML ModelRegistered event: topic→source, eventType→type, eventTime kept as text', () => {
    expect(fromEventGrid(modelRegistered)).toEqual({
      specversion: '1.0',
      id: modelRegistered.id,
      source: TOPIC,
      type: 'Microsoft.MachineLearningServices.ModelRegistered',
      subject: 'models/sklearn_regression_model:20',
      time: '2017-06-26T18:41:00.9584103Z',
      dataversion: '',
      metadataversion: '1',
      data: modelRegistered.data,
    });
  });

  it('keeps dataVersion and metadataVersion as the extension attributes dataversion, metadataversion', () => {
    expect(fromEventGrid(runCompleted)).toMatchObject({ dataversion: '1.0', metadataversion: '1' });
    const { dataVersion: _d, metadataVersion: _m, ...bare } = runCompleted;
    expect(fromEventGrid(bare)).not.toHaveProperty('dataversion');
    expect(fromEventGrid({ ...bare, dataVersion: null, metadataVersion: null })).not.toHaveProperty(
      'metadataversion',
    );
  });

  it('an empty Event Grid subject gives no subject: a CloudEvent subject is never empty', () => {
    const event = fromEventGrid({ ...runCompleted, subject: '' });
    expect(event).not.toHaveProperty('subject');
  });

  it('an empty dataVersion (as Azure ML sends) gives no dataschema; a non-empty one gives "#"+dataVersion', () => {
    expect(fromEventGrid(modelRegistered)).not.toHaveProperty('dataschema');
    expect(fromEventGrid(runCompleted)).toMatchObject({ dataschema: '#1.0', data: runCompleted.data });
  });

  it('data is passed on unchanged, the same object', () => {
    expect(fromEventGrid(runCompleted).data).toBe(runCompleted.data);
  });

  it('an array gives an array, in order', () => {
    const out = fromEventGrid([modelRegistered, runCompleted]);
    expect(out.map((e) => e.type)).toEqual([
      'Microsoft.MachineLearningServices.ModelRegistered',
      'Microsoft.MachineLearningServices.RunCompleted',
    ]);
    expect(fromEventGrid([])).toEqual([]);
  });

  it('the validation event throws EventGridValidationError carrying code and url, never data', () => {
    const error = caught(() => fromEventGrid([validation]));
    expect(error).toBeInstanceOf(EventGridValidationError);
    expect(isEventGridValidationError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'EventGridValidationError',
      validationCode: validation.data.validationCode,
      validationUrl: validation.data.validationUrl,
      eventId: validation.id,
    });
    expect(eventGridValidationResponse((error as EventGridValidationError).validationCode)).toEqual({
      validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
    });
  });

  it('with onValidation, the handshake is handed over and left out of the result', () => {
    const onValidation = vi.fn();
    expect(fromEventGrid([validation, modelRegistered], { onValidation }).map((e) => e.id)).toEqual([
      modelRegistered.id,
    ]);
    expect(onValidation).toHaveBeenCalledWith({
      validationCode: validation.data.validationCode,
      validationUrl: validation.data.validationUrl,
      eventId: validation.id,
      topic: validation.topic,
    });
    expect(fromEventGrid(validation, { onValidation })).toBeUndefined();
  });

  it('a validation event without validationUrl (older API versions) still validates', () => {
    const { validationUrl: _url, ...data } = validation.data;
    const error = caught(() => fromEventGrid({ ...validation, data })) as EventGridValidationError;
    expect(error.validationCode).toBe(validation.data.validationCode);
    expect(error.validationUrl).toBeUndefined();
  });

  it('the handshake type is recognised in any casing', () => {
    const lower = { ...validation, eventType: validation.eventType.toLowerCase() };
    expect(isEventGridValidationError(caught(() => fromEventGrid(lower)))).toBe(true);
  });

  it.each([
    ['no eventType', { ...modelRegistered, eventType: undefined }, ['eventType']],
    ['bad eventTime', { ...modelRegistered, eventTime: 'yesterday' }, ['eventTime']],
    ['empty id', { ...modelRegistered, id: '' }, ['id']],
    ['no topic', { ...modelRegistered, topic: undefined }, ['topic']],
    ['validation without code', { ...validation, data: {} }, ['data', 'validationCode']],
  ])('bad input (%s) throws DefinitionError naming the field', (_name, input, path) => {
    const error = caught(() => fromEventGrid(input as never));
    expect(isDefinitionError(error)).toBe(true);
    expect((error as { issues: { path: unknown }[] }).issues[0]?.path).toEqual(path);
  });

  it('in an array, issues name the index and the value', () => {
    const error = caught(() => fromEventGrid([modelRegistered, { ...runCompleted, eventTime: 42 }]));
    expect((error as { issues: unknown[] }).issues).toEqual([
      expect.objectContaining({ code: 'invalid_type', path: [1, 'eventTime'], value: 42 }),
    ]);
  });

  it('eventGridValidationResponse refuses an empty code', () => {
    const error = caught(() => eventGridValidationResponse(''));
    expect((error as { issues: { path: unknown }[] }).issues[0]?.path).toEqual(['validationCode']);
  });
});
