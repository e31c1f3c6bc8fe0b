import type { EngineState } from './engine-state.js';

/**
 * The state `openEngine` loaded, handed to the Engine it builds. Keyed by that call's own options object, so the
 * public constructor keeps one argument and nothing a user passes can claim a loaded state.
 */
export const restoreHandoff = new WeakMap<object, { readonly state: EngineState | undefined }>();
