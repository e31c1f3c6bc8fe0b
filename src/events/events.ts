import { artifactEvents } from './artifact-events.js';
import { runEvents } from './run-events.js';

/** Typed builders of canonical CloudEvents, validated: each throws a DefinitionError naming the bad field. */
export const events = Object.freeze({ ...runEvents, ...artifactEvents });
