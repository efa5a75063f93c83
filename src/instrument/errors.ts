/** A file that cannot be instrumented; the message is one line. Callers run such files uninstrumented. */
export class TransformError extends Error {
  override name = 'TransformError';
}
