import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cinema, record, root } from '../helpers.js';

interface Finding {
  id: string;
  kind: string;
  severity: string;
  title: string;
  explanation: string;
  events: number[];
  locations: { file: string; line: number; what?: string }[];
}

const bug = (name: string) => path.join(root, 'examples', 'bugs', `${name}.mjs`);
/** 1-based line of the first line of `name` matching `re`. */
function lineOf(name: string, re: RegExp): number {
  const i = fs.readFileSync(bug(name), 'utf8').split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`${re} not in ${name}`);
  return i + 1;
}

function insights(name: string): Finding[] {
  const r = record(['node', bug(name)]);
  expect(r.stderr).toContain('recorded');
  const out = cinema(['insights', r.dir, '--json']);
  expect(out.code, out.stderr).toBe(0);
  const report = JSON.parse(out.stdout) as { findings: Finding[]; errors: unknown[] };
  expect(report.errors).toEqual([]);
  return report.findings;
}

function only(findings: Finding[], kind: string): Finding {
  const of = findings.filter((f) => f.kind === kind);
  expect(of.map((f) => f.title), JSON.stringify(findings.map((f) => f.title))).toHaveLength(1);
  const f = of[0]!;
  expect(f.title.length).toBeGreaterThan(10);
  expect(f.explanation.length).toBeGreaterThan(40);
  expect(f.events.length).toBeGreaterThan(0);
  for (const l of f.locations) expect(l.file).toBe(f.locations[0]!.file);
  return f;
}

describe('cinema insights on examples/bugs', () => {
  it('an uncaught TypeError is traced to the write that set the bad value', () => {
    const f = only(insights('uncaught-null'), 'uncaught-error');
    expect(f.locations[0]!.line).toBe(lineOf('uncaught-null', /user\.profile = null/));
    expect(f.locations.map((l) => l.line)).toContain(lineOf('uncaught-null', /user\.profile\.name/));
    expect(f.explanation).toContain('resetSession');
  });

  it('an unhandled rejection is traced across the await to the write of the bad value', () => {
    const f = only(insights('rejection'), 'uncaught-error');
    expect(f.title).toMatch(/rejection/i);
    expect(f.locations[0]!.line).toBe(lineOf('rejection', /c\.discount = code/));
    expect(f.locations.map((l) => l.line)).toContain(lineOf('rejection', /throw new TypeError/));
  });

  it('a call that is an outlier for its function, with where its time went', () => {
    const f = only(insights('slow-outlier'), 'slow-call');
    expect(f.locations[0]!.line).toBe(lineOf('slow-outlier', /async function fetchPrice/));
    expect(f.locations[1]!.line).toBe(lineOf('slow-outlier', /await sleep\(delay\)/));
  });

  it('a long synchronous stretch names the function that blocked the event loop', () => {
    const f = only(insights('blocking'), 'event-loop-blocked');
    expect(f.locations[0]!.line).toBe(lineOf('blocking', /function hashPassword/));
  });

  it('N+1: one awaited query per item in a loop', () => {
    const f = only(insights('n-plus-one'), 'n-plus-one');
    expect(f.locations[0]!.line).toBe(lineOf('n-plus-one', /await queryProduct\(id\)/));
    expect(f.title).toContain('12 times');
  });

  it('a lost update: read before an await, written after, while another frame wrote', () => {
    const f = only(insights('lost-update'), 'lost-update');
    expect(f.locations[0]!.line).toBe(lineOf('lost-update', /acct\.balance = balance - amount/));
    expect(f.locations[1]!.line).toBe(lineOf('lost-update', /const balance = acct\.balance/));
  });

  it('a promise that never settles: the innermost waiting frame and who made the promise', () => {
    const f = only(insights('never-settled'), 'never-settled');
    expect(f.locations[0]!.line).toBe(lineOf('never-settled', /await readConfigFile/));
    expect(f.locations.map((l) => l.line)).toContain(lineOf('never-settled', /function readConfigFile/));
  });

  it('an error swallowed by a catch block that only logs', () => {
    const f = only(insights('swallowed'), 'swallowed-error');
    expect(f.locations[0]!.line).toBe(lineOf('swallowed', /catch \(err\)/));
  });

  it('an error thrown inside a built-in (JSON.parse) and swallowed by an empty catch block', () => {
    const f = only(insights('swallowed-parse'), 'swallowed-error');
    expect(f.locations[0]!.line).toBe(lineOf('swallowed-parse', /catch \(err\)/));
    expect(f.title).toMatch(/^SyntaxError: .*JSON.* was swallowed by an empty catch block/);
    expect(f.explanation).toContain('not recorded');
  });

  it('a collection that grows with every request and is never trimmed', () => {
    const f = only(insights('leak'), 'growth');
    expect(f.locations[0]!.line).toBe(lineOf('leak', /sessions\.push/));
  });

  it('finds nothing in the bug-free control', () => {
    expect(insights('control').map((f) => f.title)).toEqual([]);
  });
});

describe('cinema insights command', () => {
  it('prints findings as text, knows its detectors, rejects bad options', () => {
    const r = record(['node', bug('swallowed')]);
    const text = cinema(['insights', r.dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\[medium\] RangeError: bad quantity 0 was swallowed/);
    expect(text.stdout).toMatch(/at examples\/bugs\/swallowed\.mjs:\d+ {2}\(catch block that only logs\)/);
    const none = cinema(['insights', r.dir, '--kind', 'growth']);
    expect(none.stdout).toContain('No problems found');
    const bad = cinema(['insights', r.dir, '--kind', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown detector 'nope'");
    expect(cinema(['insights', '--help']).stdout).toContain('cinema insights [REC]');
    const missing = cinema(['insights', '/nonexistent/rec']);
    expect(missing.code).toBe(1);
  });
});
