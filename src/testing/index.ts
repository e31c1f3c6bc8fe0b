export { RecordingSink } from './recording-sink.js';
export { VirtualClock } from './virtual-clock.js';
