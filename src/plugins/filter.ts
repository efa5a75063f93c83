/** Which files ahead-of-time instrumentation takes: JS/TS sources matching include and not exclude globs. */
import path from 'node:path';
import picomatch from 'picomatch';

export interface FilterOptions {
  /** Globs of files to instrument (default `**`). */
  include?: string[];
  /** Globs of files to leave alone (default `**\/node_modules/**`). */
  exclude?: string[];
}

const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * A glob matches a file by its absolute path, its path relative to the current directory, or
 * relative to `root` when given (a source directory).
 */
export function sourceFilter(options: FilterOptions = {}): (file: string, root?: string) => boolean {
  const include = picomatch(options.include ?? ['**'], { dot: true });
  const exclude = picomatch(options.exclude ?? ['**/node_modules/**'], { dot: true });
  const cwd = process.cwd();
  return (file, root) => {
    if (!SOURCE.test(file)) return false;
    const forms = [file, path.relative(cwd, file)];
    if (root !== undefined) forms.push(path.relative(root, file));
    const names = forms.map((p) => p.split(path.sep).join('/'));
    return names.some((p) => include(p)) && !names.some((p) => exclude(p));
  };
}
