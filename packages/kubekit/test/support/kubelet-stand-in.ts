// One stand-in for the kubelet across the repository's tests: the
// controllers package's, which plays it through the real apiserver.
export { startKubeletStandIn } from "../../../controllers/test/support/kubelet-stand-in.js";
export { watchPodCensus } from "../../../controllers/test/support/pod-census.js";
