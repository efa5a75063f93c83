/** Column shifts from the transform (Edits.render) take generated stack columns back to original ones. */
import { describe, expect, it } from 'vitest';
import { transform } from '../../src/instrument/transform.js';
import { addShifts, originalColumn } from '../../src/runtime/stack-columns.js';

const source = `const a = 1;
function inner(x) { if (x) throw new Error('boom ' + x); return x; }
function outer(y) { return inner(y) + 1; }
const o = { n: 0 }; o.n = outer(a); const f = (z) => z.q.r;
`;

describe('stack columns', () => {
  it('maps every token of the original text back from its generated column', () => {
    const file = '/virtual/stack-columns-test.js';
    const { code } = transform(source, { filename: file, module: 'cjs', siteBase: 'runtime', values: true });
    const S = /function (__ec\d*S)\(\) \{ return (\[.*\]); \}/.exec(code)!;
    addShifts(() => JSON.parse(S[2]!) as unknown);
    const generated = code.split('\n');
    const original = source.split('\n');
    let checked = 0;
    for (let line = 0; line < original.length - 1; line++) {
      const gen = generated[line]!;
      expect(gen.length).toBeGreaterThan(original[line]!.length); // every line here was edited
      for (const token of ['inner(', 'outer(', 'new Error', 'throw', "'boom '", 'z.q.r', '+ 1', '(z)']) {
        const at = original[line]!.indexOf(token);
        if (at < 0) continue;
        // The token's generated column: the same text, found from where the shifts say it moved.
        const g = gen.indexOf(token, at);
        expect(g).toBeGreaterThanOrEqual(at);
        expect(originalColumn(file, line + 1, g + 1)).toBe(at + 1);
        expect(originalColumn(`file://${file}`, line + 1, g + 1)).toBe(at + 1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    // Files the recorder did not instrument keep their columns.
    expect(originalColumn('/virtual/other.js', 2, 40)).toBe(40);
  });
});
