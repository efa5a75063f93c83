/** A recording that cannot be read as asked: the message is one line a person can act on. */
export class RecordingError extends Error {
  override name = 'RecordingError';
}
