/** The `summarize` tool: only registered when a language model endpoint is configured (src/insight/llm.ts). */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runInsights } from '../insight/index.js';
import { llmConfig, summarize } from '../insight/llm.js';
import type { Workspace } from './workspace.js';

export function registerSummary(server: McpServer, ws: Workspace): void {
  const config = llmConfig();
  if (!config) return;
  server.registerTool(
    'summarize',
    { description: 'A plain-language summary of the insights by the configured language model.', inputSchema: { recording: z.string().max(4096).optional() } },
    async ({ recording }) => {
      const { index } = ws.index(recording);
      const report = runInsights(index);
      return { content: [{ type: 'text' as const, text: await summarize(report, config) }] };
    },
  );
}
