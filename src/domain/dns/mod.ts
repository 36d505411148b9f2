// Cluster DNS as rules with no I/O: the records a cluster's objects give (Services, headless
// endpoints, pods, SRV, PTR, ExternalName, EFS file-system names per zone, extra names other
// controllers publish as DnsRecord objects), the zone that answers a question from them, and a
// pod's resolv.conf and hosts file. The DNS engine (src/engines/dns) serves the zone on the
// wire; the DNS controller (src/controllers/dns) builds the records from the store.

export { awsTtlSeconds, cidrContains, clusterDomain, clusterTtlSeconds, dashedAddress, type DnsRecord, type DnsRecordType, normalizeName, reverseName } from "./_records.js";
export { clusterRecords, type ClusterDnsContext, type ClusterObjects, dnsRecordApiVersion, dnsRecordKind, dnsRecordObject, dnsRecordOwnerAnnotation, type DnsRecordSpec } from "./_cluster.js";
export { DnsZone, questionType, type ResponseCode, type ZoneAnswer } from "./_zone.js";
export { ec2SearchDomain, kubeDnsClusterIp, type NodeResolver, podsAskKubeDnsClusterIp, type PodDnsSpec, podHostname, podHostsFile, podResolvConf } from "./_pod-files.js";
