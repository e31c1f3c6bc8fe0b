import { createHmac } from 'node:crypto';

export const SECRET = 'your-secret-key';
export const DELIVERY_ID = '5f0e4c1e-8a1b-4f7e-9d3c-2b6a7e1f0c9d';
/** 2025-07-31T08:27:32Z, the moment of MLflow's documented example payload. */
export const SENT_S = 1_753_950_452;

/** Python's json.dumps layout: ", " and ": " separators, so the signed bytes differ from JSON.stringify's. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** A body as MLflow sends it (mlflow/webhooks/delivery.py): entity, action, timestamp, data. */
export function mlflowBody(entity: string, action: string, data: Record<string, unknown>): string {
  return pythonJson({ entity, action, timestamp: '2025-07-31T08:27:32.080217+00:00', data });
}

/** Signed independently of the code under test: HMAC-SHA256 over `id.timestamp.body`, `v1,` + base64. */
export function signedHeaders(body: string, secret = SECRET, timestamp = SENT_S, id = DELIVERY_ID) {
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'x-mlflow-delivery-id': id,
    'x-mlflow-timestamp': String(timestamp),
    'x-mlflow-signature': `v1,${mac}`,
  };
}

export const versionCreated = {
  name: 'example_model',
  version: '1',
  source: 'models:/123',
  run_id: 'abcd1234abcd5678',
  tags: { example_key: 'example_value' },
  description: 'An example model version',
};
