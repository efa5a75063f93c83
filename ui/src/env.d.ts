// The ui type-checks the server's contract (src/server/api.ts), which reaches the value decoder's
// source; that file names Node's Buffer in code the browser never runs.
declare const Buffer: { from(bytes: Uint8Array): { toString(encoding: 'hex'): string } };
