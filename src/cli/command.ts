/** What every CLI command provides; `main` dispatches on `name`. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Prints the command's usage and returns exit code 0. */
  help(cmd: Command): number;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}
