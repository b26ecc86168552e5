/** @eddy/cli — the `eddy` command and the embedded local cluster it (and the tests) start. */
export { LocalCluster, stopProcess, type LocalClusterOptions, type ClusterProcess } from './local-cluster.js';
