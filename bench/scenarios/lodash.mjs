import { workloadScenario } from '../lib/workload-scenario.mjs';

export default workloadScenario({
  name: 'lodash',
  file: 'workloads/lodash.mjs',
  title: 'lodash pipelines over 10k generated records, fully recorded',
});
