import { workloadScenario } from '../lib/workload-scenario.mjs';

export default workloadScenario({
  name: 'acorn',
  file: 'workloads/acorn.mjs',
  title: 'acorn parsing ~1.1 MB of real JavaScript, fully recorded',
});
