/**
 * Optional: a plain-language summary of the findings by a language model behind any
 * OpenAI-compatible endpoint (`POST {CINEMA_LLM_URL}/chat/completions`). Off unless CINEMA_LLM_URL
 * is set; CINEMA_LLM_KEY (Bearer) and CINEMA_LLM_MODEL are optional. Nothing else depends on it.
 * Only the findings (titles, explanations, locations) are sent, never the recording's values.
 */
import type { InsightReport } from './types.js';

export interface LlmConfig {
  url: string;
  key?: string;
  model: string;
  timeoutMs: number;
}

export function llmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | null {
  const url = env.CINEMA_LLM_URL?.trim();
  if (!url) return null;
  return { url: url.replace(/\/+$/, ''), ...(env.CINEMA_LLM_KEY ? { key: env.CINEMA_LLM_KEY } : {}), model: env.CINEMA_LLM_MODEL?.trim() || 'gpt-4o-mini', timeoutMs: 60_000 };
}

export function summaryPrompt(report: Pick<InsightReport, 'findings' | 'events' | 'complete'>): string {
  const lines = report.findings.slice(0, 30).map((f, i) => `${i + 1}. [${f.severity}] ${f.kind}: ${f.title}\n   ${f.explanation}\n   at ${f.locations.map((l) => `${l.file}:${l.line}`).join(', ')}`);
  return `A recording of a Node.js program (${report.events} events, ${report.complete ? 'complete' : 'incomplete'}) was analysed by detectors. Findings:\n\n${lines.join('\n') || '(none)'}\n\nSummarise for the developer in a few sentences: what most likely went wrong, where to look first, and what to change.`;
}

export async function summarize(report: Pick<InsightReport, 'findings' | 'events' | 'complete'>, config: LlmConfig): Promise<string> {
  return chat(config, 'You explain debugging findings from an execution recorder to a developer. Be concrete and brief; cite file:line.', summaryPrompt(report));
}

/** One chat completion: the system and user messages in, the answer's text out. */
export async function chat(config: LlmConfig, system: string, user: string): Promise<string> {
  const res = await fetch(`${config.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.key ? { authorization: `Bearer ${config.key}` } : {}) },
    body: JSON.stringify({
      model: config.model,
      temperature: 0.2,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
    }),
    signal: AbortSignal.timeout(config.timeoutMs),
  });
  if (!res.ok) throw new Error(`the language model endpoint answered ${res.status} ${res.statusText}`);
  const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new Error('the language model endpoint gave no message content');
  return content.trim();
}
