import { workloadScenario } from '../lib/workload-scenario.mjs';

// The worst case: almost no work per call. Not held to the real-workload targets.
export default workloadScenario({
  name: 'fib',
  file: 'workloads/fib.mjs',
  title: 'naive recursive fib(30) (worst case: a call that only calls)',
  targets: {},
});
