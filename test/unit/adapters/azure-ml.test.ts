import { describe, expect, expectTypeOf, it } from 'vitest';
import { isDefinitionError } from '../../../src/errors/definition-error.js';
import {
  AZURE_ML_EVENT_TYPES,
  datasetDriftDetectedDataSchema,
  isAzureMlEventType,
  type ModelRegisteredData,
  modelDeployedDataSchema,
  modelRegisteredDataSchema,
  parseAzureMlData,
  runCompletedDataSchema,
  runStatusChangedDataSchema,
} from '../../../src/events/adapters/azure-ml.js';

const T = AZURE_ML_EVENT_TYPES;

function issuesOf(f: () => unknown): { code: string; path: unknown[]; value: unknown }[] {
  try {
    f();
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true);
    return (error as { issues: { code: string; path: unknown[]; value: unknown }[] }).issues;
  }
  throw new Error('expected a DefinitionError');
}

describe('Azure ML event data', () => {
  it('names the five types', () => {
    expect(Object.values(T)).toEqual([
      'Microsoft.MachineLearningServices.ModelRegistered',
      'Microsoft.MachineLearningServices.ModelDeployed',
      'Microsoft.MachineLearningServices.RunCompleted',
      'Microsoft.MachineLearningServices.RunStatusChanged',
      'Microsoft.MachineLearningServices.DatasetDriftDetected',
    ]);
    expect(isAzureMlEventType(T.RunCompleted)).toBe(true);
    expect(isAzureMlEventType('Microsoft.Storage.BlobCreated')).toBe(false);
  });

  it.each([
    [
      'PascalCase, version 3',
      { ModelName: 'm', ModelVersion: 3, ModelTags: { a: '1' }, ModelProperties: {} },
    ],
    [
      'camelCase, version "3"',
      { modelName: 'm', modelVersion: '3', modelTags: { a: '1' }, modelProperties: {} },
    ],
  ])('ModelRegistered (%s) normalises to camelCase, version as a string', (_name, data) => {
    const parsed = parseAzureMlData(T.ModelRegistered, data);
    expect(parsed).toEqual({ modelName: 'm', modelVersion: '3', modelTags: { a: '1' }, modelProperties: {} });
    expectTypeOf(parsed).toExtend<ModelRegisteredData>();
    expectTypeOf(parsed.modelVersion).toEqualTypeOf<string>();
  });

  it('tag keys inside maps are left as sent; unknown fields are kept', () => {
    const parsed = modelRegisteredDataSchema.parse({
      ModelName: 'm',
      ModelVersion: 1,
      ModelTags: { Area: 'x' },
      Extra: 1,
    });
    expect(parsed).toEqual({ modelName: 'm', modelVersion: '1', modelTags: { Area: 'x' }, extra: 1 });
  });

  it('a camelCase key wins over its PascalCase twin', () => {
    expect(
      modelRegisteredDataSchema.parse({ ModelName: 'old', modelName: 'new', modelVersion: 1 }).modelName,
    ).toBe('new');
  });

  it('ModelDeployed, PascalCase as documented and camelCase', () => {
    const pascal = {
      ServiceName: 'my-sklearn-service',
      ServiceComputeType: 'ACI',
      ModelIds: 'sklearn_regression_model:1,sklearn_regression_model:2',
      ServiceTags: { area: 'diabetes' },
      ServiceProperties: { type: 'test' },
    };
    const expected = {
      serviceName: 'my-sklearn-service',
      serviceComputeType: 'ACI',
      modelIds: 'sklearn_regression_model:1,sklearn_regression_model:2',
      serviceTags: { area: 'diabetes' },
      serviceProperties: { type: 'test' },
    };
    expect(modelDeployedDataSchema.parse(pascal)).toEqual(expected);
    expect(modelDeployedDataSchema.parse(expected)).toEqual(expected);
  });

  it('RunCompleted, camelCase as documented (runType null) and PascalCase', () => {
    const camel = {
      experimentId: '0fa9dfaa-cba3-4fa7-b590-23e48548f5c1',
      experimentName: 'automl-local-regression',
      runId: 'AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5',
      runType: null,
      runTags: {},
      runProperties: { runTemplate: 'automl_child' },
    };
    expect(runCompletedDataSchema.parse(camel)).toEqual(camel);
    expect(runCompletedDataSchema.parse({ ExperimentId: camel.experimentId, RunId: camel.runId })).toEqual({
      experimentId: camel.experimentId,
      runId: camel.runId,
    });
  });

  it('RunStatusChanged needs runStatus', () => {
    expect(runStatusChangedDataSchema.parse({ RunId: 'r', RunStatus: 'failed' })).toEqual({
      runId: 'r',
      runStatus: 'failed',
    });
    expect(issuesOf(() => parseAzureMlData(T.RunStatusChanged, { runId: 'r' }))[0]?.path).toEqual([
      'data',
      'runStatus',
    ]);
  });

  it('DatasetDriftDetected, PascalCase as documented and camelCase', () => {
    const pascal = {
      DataDriftId: '01d29aa4-e6a4-470a-9ef3-66660d21f8ef',
      DataDriftName: 'myDriftMonitor',
      RunId: '01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380',
      BaseDatasetId: '3c56d136-0f64-4657-a0e8-5162089a88a3',
      TargetDatasetId: 'd7e74d2e-c972-4266-b5fb-6c9c182d2a74',
      DriftCoefficient: 0.8350349068479208,
      StartTime: '2019-07-04T00:00:00+00:00',
      EndTime: '2019-07-05T00:00:00+00:00',
    };
    const parsed = datasetDriftDetectedDataSchema.parse(pascal);
    expect(parsed).toMatchObject({ dataDriftId: pascal.DataDriftId, driftCoefficient: 0.8350349068479208 });
    expect(datasetDriftDetectedDataSchema.parse(parsed)).toEqual(parsed);
  });

  it.each([
    [T.ModelRegistered, { ModelName: 'm', ModelVersion: 1.5 }, ['data', 'modelVersion'], 1.5],
    [T.ModelRegistered, { ModelVersion: 1 }, ['data', 'modelName'], undefined],
    [T.ModelDeployed, { ServiceName: 7 }, ['data', 'serviceName'], 7],
    [T.RunCompleted, { runId: '' }, ['data', 'runId'], ''],
    [
      T.DatasetDriftDetected,
      { DataDriftId: 'd', RunId: 'r', DriftCoefficient: 'high' },
      ['data', 'driftCoefficient'],
      'high',
    ],
  ] as const)('%s: bad data throws DefinitionError naming the field and value', (type, data, path, value) => {
    expect(issuesOf(() => parseAzureMlData(type, data))[0]).toMatchObject({ path, value });
  });

  it('an unknown type is refused, naming type', () => {
    expect(issuesOf(() => parseAzureMlData('Microsoft.Storage.BlobCreated', {}))[0]).toMatchObject({
      path: ['type'],
      value: 'Microsoft.Storage.BlobCreated',
    });
  });
});
