// Cluster DNS on the wire: a small authoritative server (its own process, inside the VPC's
// network namespace) answering UDP and TCP queries from the records the DNS controller
// publishes. Why Moor's own and not dnsmasq or unbound: docs/dependencies.md; its figures:
// docs/benchmarks.md (bench/dns.ts).
//
// Lifecycle: `new DnsServer({ namespace, addresses, pidFile, keepRunning })`; `publish(records)`
// at any time (the latest set wins and reaches the daemon at once); `start()` ends a daemon a
// previous Moor left running, puts the addresses on the namespace's loopback interface and
// starts a new daemon; `stop()` ends it, unless `keepRunning()` says pods still need it: then
// it goes on answering from its last records (the data plane outlives the control plane) until
// the next `start()` replaces it or its pid file goes. Without a pid file it ends with Moor.

export { DnsServer, type DnsServerOptions } from "./_server.js";
export { encodeAnswer, encodeName, parseQuery, type Query, responseCodes } from "./_wire.js";
