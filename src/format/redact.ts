/**
 * Secrets by their look, wherever they appear: values that have the shape of a credential are
 * masked at capture time (src/runtime/value-bytes.ts), in the recorded command line and in the
 * copies of source files. Keys are redacted by name (`defaultRedactPattern` in values.ts).
 */

/** What the masked part of a string is replaced with. */
export const MASK = '[redacted]';

/** Shorter strings are never checked: no pattern below matches fewer characters. */
export const MIN_SECRET_LENGTH = 16;

/**
 * Standard HTTP headers whose values are never credentials: their values skip the shape scan
 * when the recorder writes a header object (an etag differs per response, so the scan was a
 * regex pass per response). A name the redaction pattern matches is still redacted.
 */
export const PLAIN_VALUE_HEADERS: readonly string[] = [
  'accept', 'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'cache-control', 'connection',
  'content-encoding', 'content-language', 'content-length', 'content-type', 'date', 'etag', 'expires',
  'host', 'if-modified-since', 'if-none-match', 'keep-alive', 'last-modified', 'transfer-encoding', 'vary',
  'x-powered-by',
];

/**
 * Credential shapes. Group 1, when it matches, is a prefix kept in clear (a URL's scheme and user,
 * the word Bearer), so the masked text still says what it was.
 */
const shapes = [
  // user:password@ in a URL (anchored on '://': a scheme pattern tried at every letter was slow)
  String.raw`(://[^\s/@:?#]*:)[^\s/@?#]+(?=@)`,
  // values of secret-named query parameters (?token=…&api_key=…) in URLs and paths
  String.raw`([?&;][^=&#\s?]*(?:pass|secret|token|api[-_]?key|auth|session|cookie|credential|signature)[^=&#\s]*=)[^&#\s]+`,
  // JSON Web Tokens
  String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`,
  // Authorization schemes
  String.raw`((?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{8,}`,
  // AWS access key ids, GitHub, Slack, Stripe and Google API keys
  String.raw`\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b`,
  String.raw`\bgh[pousr]_[A-Za-z0-9]{30,}`,
  String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`,
  String.raw`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`,
  String.raw`\bAIza[A-Za-z0-9_-]{35}`,
  // PEM private keys, whole or cut short
  String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)`,
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Values of environment variables whose names say they are secret (DB_PASSWORD, GITHUB_TOKEN…):
 * wherever the program passes them, they are masked like a credential shape.
 */
export function environmentSecrets(env: Record<string, string | undefined>, keyPattern: RegExp): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    keyPattern.lastIndex = 0;
    if (value && value.length >= 6 && keyPattern.test(name)) out.push(value);
  }
  // Longest first, so a value that contains another is masked whole.
  return out.sort((a, b) => b.length - a.length);
}

/** One pattern for every shape and the given literal secrets (not global: callers loop). */
export function secretValuePattern(literals: string[] = []): RegExp {
  const sources = [...shapes, ...literals.map(escape)];
  return new RegExp(sources.map((s) => `(?:${s})`).join('|'));
}

/**
 * The string with every secret-looking part replaced by MASK (prefixes in clear), or null when
 * there is none. `exec` and `slice` are passed in so the recorded program's patches never run.
 */
export function maskSecrets(s: string, re: RegExp, exec: (r: RegExp, s: string) => RegExpExecArray | null = (r, x) => r.exec(x), slice: (s: string, a: number, b?: number) => string = (x, a, b) => x.slice(a, b)): string | null {
  let m = exec(re, s);
  if (m === null) return null;
  let out = '';
  let rest = s;
  for (let guard = 0; m !== null && guard < 1000; guard++) {
    const keep = firstGroup(m);
    out += slice(rest, 0, m.index) + keep + MASK;
    rest = slice(rest, m.index + (m[0].length || 1));
    m = exec(re, rest);
  }
  return out + rest;
}

function firstGroup(m: RegExpExecArray): string {
  for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return m[i]!;
  return '';
}

/**
 * A command line with its secrets masked: values of flags named like secrets (`--password=x`,
 * `--token x`) and anything with a credential's shape.
 */
export function redactArgv(argv: string[], keyPattern: RegExp, valuePattern: RegExp): string[] {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of argv) {
    if (hideNext) {
      out.push(MASK);
      hideNext = false;
      continue;
    }
    const flag = /^(--?[A-Za-z0-9][\w.-]*)(=.*)?$/.exec(arg);
    keyPattern.lastIndex = 0;
    if (flag && keyPattern.test(flag[1]!)) {
      if (flag[2] !== undefined) out.push(`${flag[1]}=${MASK}`);
      else {
        out.push(arg);
        hideNext = true;
      }
      continue;
    }
    out.push(maskSecrets(arg, valuePattern) ?? arg);
  }
  return out;
}

/** Source text with credential shapes overwritten by '*', keeping every line and column. */
export function maskSourceSecrets(text: string, valuePattern: RegExp): string {
  const global = new RegExp(valuePattern.source, 'g');
  return text.replace(global, (m) => m.replace(/[^\n]/g, '*'));
}
