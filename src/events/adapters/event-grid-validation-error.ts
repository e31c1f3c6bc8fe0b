/** What an Event Grid subscription handshake asks for: echo `validationCode`, or GET `validationUrl`. */
export interface EventGridValidation {
  readonly validationCode: string;
  readonly validationUrl?: string;
  /** The validation event's id and topic. */
  readonly eventId: string;
  readonly topic: string;
}

/**
 * An Event Grid subscription-validation event arrived where events were expected. It is a handshake, never data:
 * answer it with `eventGridValidationResponse(error.validationCode)` (HTTP 200), or pass `onValidation`.
 */
export class EventGridValidationError extends Error {
  override readonly name = 'EventGridValidationError' as const;
  readonly validationCode: string;
  readonly validationUrl?: string;
  readonly eventId: string;
  readonly topic: string;

  constructor(validation: EventGridValidation) {
    super(
      `Event Grid subscription validation (event ${JSON.stringify(validation.eventId)}): ` +
        'answer with eventGridValidationResponse(validationCode), or pass options.onValidation',
    );
    this.validationCode = validation.validationCode;
    if (validation.validationUrl !== undefined) this.validationUrl = validation.validationUrl;
    this.eventId = validation.eventId;
    this.topic = validation.topic;
  }
}

export function isEventGridValidationError(error: unknown): error is EventGridValidationError {
  return (
    error instanceof EventGridValidationError ||
    (error instanceof Error && error.name === 'EventGridValidationError')
  );
}
