/**
 * What the instrumenting walk does with each node type, in one map lookup per node: a string
 * switch plus three set lookups and a child-key lookup per node were a quarter of the walk.
 */
import { CHILD_KEYS } from './child-keys.js';
import { TRANSPARENT } from './names.js';
import { BLOCK_SCOPES } from './scopes.js';

export const enum Kind {
  /** Nothing of its own: the walk only descends. */
  Plain,
  /** Assignments, updates, `delete`, calls: possibly a recorded state write. */
  Write,
  Function,
  Return,
  /** `await` and `yield`. */
  Suspend,
  Labeled,
  ForOf,
  Class,
  TSModule,
  /** A scope of its own (block, loop head, catch clause, switch body), unless a function's body. */
  Block,
  /** Parentheses and TS-only wrappers: names flow through them. */
  Transparent,
  ExpressionStatement,
  /** A `try` (frames that leave without a catch handle its `finally`). */
  Try,
}

export interface NodeKind {
  kind: Kind;
  /** The fields the walk descends into (child-keys.ts). */
  keys: readonly string[];
}

const SPECIAL: Record<string, Kind> = {
  AssignmentExpression: Kind.Write,
  UpdateExpression: Kind.Write,
  UnaryExpression: Kind.Write,
  CallExpression: Kind.Write,
  FunctionDeclaration: Kind.Function,
  FunctionExpression: Kind.Function,
  ArrowFunctionExpression: Kind.Function,
  ReturnStatement: Kind.Return,
  AwaitExpression: Kind.Suspend,
  YieldExpression: Kind.Suspend,
  LabeledStatement: Kind.Labeled,
  ForOfStatement: Kind.ForOf,
  ClassDeclaration: Kind.Class,
  ClassExpression: Kind.Class,
  TSModuleDeclaration: Kind.TSModule,
  ExpressionStatement: Kind.ExpressionStatement,
  TryStatement: Kind.Try,
};

/** For a type oxc-parser has no visitor keys for: nothing to do, nothing to descend into. */
export const UNKNOWN_KIND: NodeKind = { kind: Kind.Plain, keys: [] };

function build(): Map<string, NodeKind> {
  const map = new Map<string, NodeKind>();
  for (const [type, keys] of CHILD_KEYS) {
    const kind = SPECIAL[type] ?? (BLOCK_SCOPES.has(type) ? Kind.Block : TRANSPARENT.has(type) ? Kind.Transparent : Kind.Plain);
    map.set(type, { kind, keys });
  }
  for (const type of [...Object.keys(SPECIAL), ...BLOCK_SCOPES, ...TRANSPARENT]) {
    if (!map.has(type)) map.set(type, { kind: SPECIAL[type] ?? (BLOCK_SCOPES.has(type) ? Kind.Block : Kind.Transparent), keys: [] });
  }
  return map;
}

export const NODE_KINDS: ReadonlyMap<string, NodeKind> = build();
