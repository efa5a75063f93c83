// marked rendering a large generated Markdown document (deterministic, ~400 KB).
import { marked } from 'marked';
import { rng, runWorkload } from './harness.mjs';

const rand = rng(42);
const pick = (a) => a[Math.floor(rand() * a.length)];
const words = 'the recorder writes every call into a ring while the drain compresses chunks to disk and readers rebuild stacks values async causality from segments'.split(' ');
const word = () => {
  const w = pick(words);
  const r = rand();
  if (r < 0.05) return `**${w}**`;
  if (r < 0.1) return `_${w}_`;
  if (r < 0.13) return `\`${w}()\``;
  if (r < 0.16) return `[${w}](https://example.com/${w})`;
  return w;
};
const sentence = () => Array.from({ length: 6 + Math.floor(rand() * 14) }, word).join(' ') + '.';
const paragraph = () => Array.from({ length: 2 + Math.floor(rand() * 4) }, sentence).join(' ');

const parts = [];
while (parts.join('\n\n').length < 400_000) {
  parts.push(`${'#'.repeat(1 + Math.floor(rand() * 3))} ${sentence()}`);
  parts.push(paragraph());
  const r = rand();
  if (r < 0.25) parts.push(Array.from({ length: 3 + Math.floor(rand() * 5) }, () => `- ${sentence()}`).join('\n'));
  else if (r < 0.4) parts.push(Array.from({ length: 3 + Math.floor(rand() * 4) }, (_, i) => `${i + 1}. ${sentence()}`).join('\n'));
  else if (r < 0.5) parts.push('```js\n' + Array.from({ length: 5 }, () => `const x = ${pick(words)}(${Math.floor(rand() * 100)});`).join('\n') + '\n```');
  else if (r < 0.6) parts.push('| a | b | c |\n|---|:-:|--:|\n' + Array.from({ length: 5 }, () => `| ${word()} | ${word()} | ${Math.floor(rand() * 1000)} |`).join('\n'));
  else if (r < 0.7) parts.push(`> ${paragraph()}`);
  parts.push(paragraph());
}
const doc = parts.join('\n\n');

runWorkload('marked', () => marked.parse(doc, { async: false }).length);
