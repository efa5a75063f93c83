import { workloadScenario } from '../lib/workload-scenario.mjs';

export default workloadScenario({
  name: 'marked',
  file: 'workloads/marked.mjs',
  title: 'marked rendering a ~400 KB generated Markdown document, fully recorded',
});
