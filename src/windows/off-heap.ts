// Zeroed typed arrays on a SharedArrayBuffer, for state that lives as long as the engine. V8 counts a plain
// ArrayBuffer as external memory and starts a full collection each time 64 MB more of it is allocated since the
// last one: that frees nothing here and marks every object in the host's heap (in the firehose bench, a third of
// a second for its 10 M input values, once a pass). A SharedArrayBuffer is not counted so. None is ever posted.

export const float64s = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));

export const int32s = (length: number): Int32Array => new Int32Array(new SharedArrayBuffer(length * 4));

export const uint16s = (length: number): Uint16Array => new Uint16Array(new SharedArrayBuffer(length * 2));
