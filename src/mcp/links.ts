/**
 * Deep links into the web UI (`cinema ui`). Kept in one function so the link format can follow
 * the UI as it changes. The port is the UI's (CINEMA_UI_PORT, default 7373). `rec` is the
 * recording's directory name: the UI server lists the recordings of `.cinema/` (as this MCP server
 * does) under the same names, and the page writes its own address in this same form
 * (`#rec=NAME&event=N&…`), so a link from either opens the same moment.
 */
export const DEFAULT_UI_PORT = 7373;

export function uiPort(): number {
  const p = Number(process.env.CINEMA_UI_PORT);
  return Number.isInteger(p) && p > 0 && p < 65536 ? p : DEFAULT_UI_PORT;
}

export function uiLink(recording: string, event: number, port = uiPort()): string {
  return `http://127.0.0.1:${port}/#rec=${encodeURIComponent(recording)}&event=${event}`;
}
