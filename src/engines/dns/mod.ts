// Cluster DNS on the wire: a small authoritative server (its own process, inside the VPC's
// network namespace) answering UDP and TCP queries from the records the DNS controller
// publishes. Why Moor's own and not dnsmasq or unbound: docs/dependencies.md; its figures:
// docs/benchmarks.md (bench/dns.ts).
//
// Lifecycle: `new DnsServer({ namespace, addresses })`; `publish(records)` at any time (the
// latest set wins and reaches the daemon at once); `start()` puts the addresses on the
// namespace's loopback interface and starts the daemon; `stop()` ends it. The daemon also ends when
// Moor's process does (its IPC channel closes).

export { DnsServer, type DnsServerOptions } from "./_server.js";
export { encodeAnswer, encodeName, parseQuery, type Query, responseCodes } from "./_wire.js";
