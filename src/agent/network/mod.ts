// The pods' network: the VPC as a network namespace with one bridge per subnet, and each pod's
// own namespace joined to its subnet through Debian's CNI plugins (bridge, host-local IPAM).
// Service addresses and node ports are nftables rules in that namespace (ServiceDatapath).

export { VpcNetwork, type PodAddress } from "./_network.js";
export { SecurityGroupFirewall } from "./_security-groups.js";
export { ServiceDatapath } from "./_services.js";
