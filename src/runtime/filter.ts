/** Which files get instrumented: the include/exclude globs, never our own code, never twice. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import type { RuntimeConfig } from './config.js';

/** This package's built code is never instrumented (its examples and test programs may be). */
const ownCode = path.resolve(fileURLToPath(new URL('../', import.meta.url))) + path.sep;

/** Nor are the packages the recorder itself runs on, even when node_modules is included. */
const ownDependencies = ['oxc-parser', 'picomatch', '@jridgewell/trace-mapping', '@jridgewell/remapping', '@jridgewell/sourcemap-codec', '@jridgewell/resolve-uri', '@jridgewell/gen-mapping']
  .map(packageDir)
  .filter((d): d is string => d !== null);

/** oxc-parser's platform bindings and helpers live in their own scopes. */
const OXC_SCOPES = /[\\/]node_modules[\\/]@oxc-(?:parser|project)[\\/]/;

function packageDir(name: string): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)) + path.sep;
  } catch {
    return null;
  }
}

export type FileFilter = (fileOrUrl: string) => string | null;

/** Returns a function that gives the file path to instrument, or null to leave the file alone. */
export function fileFilter(config: Pick<RuntimeConfig, 'include' | 'exclude' | 'cwd'>): FileFilter {
  const opts = { dot: true };
  const include = picomatch(config.include, opts);
  const exclude = picomatch(config.exclude, opts);
  // A glob matches a file by its path relative to cwd (src/**) or by its absolute path (/srv/**, **/x.js).
  const matches = (m: (p: string) => boolean, file: string) => {
    const rel = path.relative(config.cwd, file);
    return m(file) || (!rel.startsWith('..') && !path.isAbsolute(rel) && m(rel));
  };
  const cache = new Map<string, string | null>();
  return (fileOrUrl) => {
    let hit = cache.get(fileOrUrl);
    if (hit !== undefined) return hit;
    hit = decide(fileOrUrl);
    cache.set(fileOrUrl, hit);
    return hit;
  };

  function decide(fileOrUrl: string): string | null {
    let file: string;
    if (fileOrUrl.startsWith('file:')) {
      try {
        file = fileURLToPath(fileOrUrl);
      } catch {
        return null;
      }
    } else if (path.isAbsolute(fileOrUrl)) file = fileOrUrl;
    else return null; // node: builtins, data: and other schemes
    if (file.startsWith(ownCode) || ownDependencies.some((d) => file.startsWith(d)) || OXC_SCOPES.test(file)) return null;
    if (!/\.(?:[cm]?[jt]sx?)$/.test(file)) return null;
    if (matches(exclude, file)) return null;
    return matches(include, file) ? file : null;
  }
}

