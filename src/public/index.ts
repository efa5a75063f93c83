/** The package's library API: record a command, open a recording, ask it questions. */
export { recordCommand, type RecordOptions, type RecordResult } from '../cli/record-command.js';
export { Recording, ProcessRecording, type SiteInfo } from '../recording/recording.js';
export { RecordingError } from '../recording/errors.js';
export { resolveRecording } from '../recording/locate.js';
export type { Manifest, ProcessInfo, Counters, Mode } from '../recording/manifest.js';
export type { Value } from '../recording/value-reader.js';
export { computeStats, type Stats } from '../query/stats.js';
export { listEvents, type EventFilter, type EventView } from '../query/events.js';
export { transform, TransformError, type TransformOptions, type TransformResult } from '../instrument/transform.js';
