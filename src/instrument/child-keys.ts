/**
 * Which fields of each node type the instrumenting walk descends into: oxc's visitor keys minus
 * everything that can only hold types (annotations, type parameters, interfaces, aliases) or
 * nothing executable (template quasis, import/export specifiers).
 */
import { visitorKeys } from 'oxc-parser';

const TYPE_ONLY_KEYS = new Set([
  'typeAnnotation',
  'typeParameters',
  'typeArguments',
  'returnType',
  'superTypeArguments',
  'implements',
  'quasis',
  'label',
]);

/** TS node types that contain executable code (everything else starting with `TS` is type-level). */
const TS_EXECUTABLE = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'TSParameterProperty',
  'TSEnumDeclaration',
  'TSEnumBody',
  'TSEnumMember',
  'TSModuleDeclaration',
  'TSModuleBlock',
  'TSExportAssignment',
]);

const EMPTY: readonly string[] = [];

function build(): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const type of Object.keys(visitorKeys)) {
    if (type.startsWith('TS') && !TS_EXECUTABLE.has(type)) {
      map.set(type, EMPTY);
      continue;
    }
    const keys = visitorKeys[type]!.filter((k) => !TYPE_ONLY_KEYS.has(k));
    map.set(type, keys.length === 0 ? EMPTY : keys);
  }
  // Enum member ids and module ids are names, not code.
  map.set('TSEnumMember', ['initializer']);
  map.set('TSModuleDeclaration', ['body']);
  map.set('TSEnumDeclaration', ['body']);
  map.set('ImportDeclaration', EMPTY);
  map.set('ExportAllDeclaration', EMPTY);
  map.set('ExportNamedDeclaration', ['declaration']);
  return map;
}

export const CHILD_KEYS: ReadonlyMap<string, readonly string[]> = build();
