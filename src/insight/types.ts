/** What a detector reports: a likely cause of a problem, with the events and source lines behind it. */
export type Severity = 'high' | 'medium' | 'low';

export type FindingKind =
  | 'uncaught-error'
  | 'slow-call'
  | 'event-loop-blocked'
  | 'n-plus-one'
  | 'lost-update'
  | 'never-settled'
  | 'growth'
  | 'swallowed-error';

export interface Location {
  file: string;
  line: number;
  column?: number;
  /** What is at this line: `write of user.profile`, `catch block`, `function fetchPrice`… */
  what?: string;
}

export interface Finding {
  /** Stable within a recording: kind and the first event id. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  /** One line. */
  title: string;
  /** A few sentences a person can act on, in plain language. */
  explanation: string;
  /** Event ids, most important first. */
  events: number[];
  /** Source locations, the likely cause first. */
  locations: Location[];
}

export interface InsightOptions {
  /** Detectors to run (default: all). */
  only?: FindingKind[];
  /** A synchronous stretch longer than this blocks the event loop (ms, default 50). */
  blockingMs?: number;
  /** Repeated awaits of one call site inside one frame that count as N+1 (default 5). */
  nPlusOneMin?: number;
  /** Events of one thread analysed at most (default 5,000,000); the rest are left out and said so. */
  maxRowsPerThread?: number;
}

export interface InsightReport {
  recording: string;
  complete: boolean;
  events: number;
  /** Threads whose events were cut to maxRowsPerThread. */
  truncatedThreads: number;
  findings: Finding[];
}
