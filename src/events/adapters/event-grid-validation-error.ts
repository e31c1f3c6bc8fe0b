import { isErrorNamed, ownData } from '../../errors/safe-read.js';

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
    // Read without running a getter: a caller may build one of these by hand.
    const field = (key: keyof EventGridValidation): string => {
      const v = ownData(validation, key);
      return typeof v === 'string' ? v : '';
    };
    super(
      `Event Grid subscription validation (event ${JSON.stringify(field('eventId'))}): ` +
        'answer with eventGridValidationResponse(validationCode), or pass options.onValidation',
    );
    this.validationCode = field('validationCode');
    if (typeof ownData(validation, 'validationUrl') === 'string') this.validationUrl = field('validationUrl');
    this.eventId = field('eventId');
    this.topic = field('topic');
  }
}

export function isEventGridValidationError(error: unknown): error is EventGridValidationError {
  return isErrorNamed(error, EventGridValidationError.prototype, 'EventGridValidationError');
}
