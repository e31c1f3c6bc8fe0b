import { z } from 'zod';
import { checkData } from '../../definitions/parse.js';
import { DefinitionError } from '../../errors/definition-error.js';
import { fromZodIssues } from '../../errors/from-zod.js';

/** The five Azure Machine Learning event types published through Event Grid. */
export const AZURE_ML_EVENT_TYPES = Object.freeze({
  ModelRegistered: 'Microsoft.MachineLearningServices.ModelRegistered',
  ModelDeployed: 'Microsoft.MachineLearningServices.ModelDeployed',
  RunCompleted: 'Microsoft.MachineLearningServices.RunCompleted',
  RunStatusChanged: 'Microsoft.MachineLearningServices.RunStatusChanged',
  DatasetDriftDetected: 'Microsoft.MachineLearningServices.DatasetDriftDetected',
} as const);
export type AzureMlEventType = (typeof AZURE_ML_EVENT_TYPES)[keyof typeof AZURE_ML_EVENT_TYPES];

/**
 * Azure documents ModelName but RunCompleted's runId, and senders vary: top-level keys are read with their first
 * letter lower-cased. A camelCase key wins over its PascalCase twin. Nested maps (tags, properties) are left as sent.
 */
function camelKeys(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const entries = Object.entries(input).flatMap(([key, value]): [string, unknown][] => {
    const camel = key.charAt(0).toLowerCase() + key.slice(1);
    return camel === key || !Object.hasOwn(input, camel) ? [[camel, value]] : [];
  });
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return Object.fromEntries(entries);
}

const text = z.string().max(4096);
const id = z.string().min(1).max(1024);
const bag = z.record(z.string(), z.unknown());
/** Documented as a string, sent as a number in Azure's own sample: both read, always a string after. */
const modelVersion = z
  .union([z.string().min(1).max(256), z.number().int().min(0)])
  .transform((v) => String(v));

const run = {
  experimentId: text.nullish(),
  experimentName: text.nullish(),
  runId: id,
  runType: text.nullish(),
  runTags: bag.nullish(),
  runProperties: bag.nullish(),
};

/** Unknown extra fields are kept (looseObject), never rejected. */
export const modelRegisteredDataSchema = z.preprocess(
  camelKeys,
  z.looseObject({
    modelName: id,
    modelVersion,
    modelTags: bag.nullish(),
    modelProperties: bag.nullish(),
  }),
);

export const modelDeployedDataSchema = z.preprocess(
  camelKeys,
  z.looseObject({
    serviceName: id,
    serviceComputeType: text.nullish(),
    /** Comma-separated `name:version` ids, as Azure sends them. */
    modelIds: text.nullish(),
    serviceTags: bag.nullish(),
    serviceProperties: bag.nullish(),
  }),
);

export const runCompletedDataSchema = z.preprocess(camelKeys, z.looseObject(run));

export const runStatusChangedDataSchema = z.preprocess(
  camelKeys,
  z.looseObject({ ...run, runStatus: z.string().min(1).max(256) }),
);

export const datasetDriftDetectedDataSchema = z.preprocess(
  camelKeys,
  z.looseObject({
    dataDriftId: id,
    dataDriftName: text.nullish(),
    runId: id,
    baseDatasetId: text.nullish(),
    targetDatasetId: text.nullish(),
    driftCoefficient: z.number().refine(Number.isFinite, { message: 'must be finite' }).nullish(),
    startTime: text.nullish(),
    endTime: text.nullish(),
  }),
);

const SCHEMAS = {
  [AZURE_ML_EVENT_TYPES.ModelRegistered]: modelRegisteredDataSchema,
  [AZURE_ML_EVENT_TYPES.ModelDeployed]: modelDeployedDataSchema,
  [AZURE_ML_EVENT_TYPES.RunCompleted]: runCompletedDataSchema,
  [AZURE_ML_EVENT_TYPES.RunStatusChanged]: runStatusChangedDataSchema,
  [AZURE_ML_EVENT_TYPES.DatasetDriftDetected]: datasetDriftDetectedDataSchema,
} as const;

export type ModelRegisteredData = z.output<typeof modelRegisteredDataSchema>;
export type ModelDeployedData = z.output<typeof modelDeployedDataSchema>;
export type RunCompletedData = z.output<typeof runCompletedDataSchema>;
export type RunStatusChangedData = z.output<typeof runStatusChangedDataSchema>;
export type DatasetDriftDetectedData = z.output<typeof datasetDriftDetectedDataSchema>;
export type AzureMlData = { [T in AzureMlEventType]: z.output<(typeof SCHEMAS)[T]> };

const typeSchema = z.object({
  type: z.enum(Object.values(AZURE_ML_EVENT_TYPES) as [AzureMlEventType, ...AzureMlEventType[]]),
});

export function isAzureMlEventType(type: unknown): type is AzureMlEventType {
  return typeSchema.safeParse({ type }).success;
}

/**
 * The data of an Azure ML event, validated and normalised: camelCase keys, `modelVersion` as a string.
 * Throws DefinitionError naming the field (`data.modelName`) and value, or `type` when it is not one of the five.
 */
export function parseAzureMlData<T extends AzureMlEventType>(type: T, data: unknown): AzureMlData[T];
export function parseAzureMlData(type: string, data: unknown): AzureMlData[AzureMlEventType];
export function parseAzureMlData(type: string, data: unknown): AzureMlData[AzureMlEventType] {
  const known = typeSchema.safeParse({ type }, { reportInput: true });
  if (!known.success) throw new DefinitionError(fromZodIssues(known.error.issues), 'Azure ML event type');
  checkData(data, `${type} data`, 'definition', ['data']);
  const schema: z.ZodType<AzureMlData[AzureMlEventType], unknown> = SCHEMAS[known.data.type];
  const parsed = schema.safeParse(data, { reportInput: true });
  if (!parsed.success)
    throw new DefinitionError(fromZodIssues(parsed.error.issues, ['data']), `${type} data`);
  return parsed.data;
}
