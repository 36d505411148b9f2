// Kubernetes traffic rules with no I/O: which pods back a Service (EndpointSlices and Endpoints
// from pods, with their conditions and per-pod ports), and Services as an nftables table in the
// VPC network namespace (kube-proxy's nftables mode), with the commands that move the kernel's
// table from one state to the next. The endpoints controller and the service-proxy controller
// build on these; the agent only runs `nft`.

export {
  endpointSlices,
  endpointsSubsets,
  hasSelector,
  mirroredSlices,
  podEndpoints,
  resolveTargetPort,
  shortHash,
  sliceManagers,
  type EndpointPort,
  type PodEndpoint,
} from "./endpoints.js";
export { serviceTargets, servicesRuleset, servicesTable, type ServicesInput } from "./ruleset.js";
export { nftCommands, sameRuleset, type NftChain, type NftRuleset, type NftSet } from "./nft.js";
