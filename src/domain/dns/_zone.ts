// The zone: answers one question (name, type, asker) from a set of records, with the rules an
// authoritative server follows: a CNAME answers any type and is followed inside the zone; a
// name that exists without records of the asked type (or an empty non-terminal such as
// "svc.cluster.local") is NODATA; everything else is NXDOMAIN at once, since nothing past
// Moor's own names is reachable.

import { cidrContains, type DnsRecord, normalizeName } from "./_records.js";

/** Question types by code; any other code asks for a type no record here has. */
export const questionType = { A: 1, CNAME: 5, PTR: 12, SRV: 33, ANY: 255 } as const;
const typeCodes: Record<DnsRecord["type"], number> = { A: 1, CNAME: 5, PTR: 12, SRV: 33 };

export type ResponseCode = "NOERROR" | "NXDOMAIN";

export interface ZoneAnswer {
  code: ResponseCode;
  /** In answer order: a CNAME chain first, then the records of the asked type. */
  records: DnsRecord[];
}

/** The longest CNAME chain followed inside the zone. */
const cnameChainMax = 8;

export class DnsZone {
  readonly #byName = new Map<string, DnsRecord[]>();
  readonly #nonTerminals = new Set<string>();
  readonly #scoped = new Set<string>();
  readonly size: number;

  constructor(records: readonly DnsRecord[]) {
    for (const record of records) {
      const name = normalizeName(record.name);
      const list = this.#byName.get(name);
      if (list) list.push(record);
      else this.#byName.set(name, [record]);
      if (record.type === "A" && record.askerCidr) this.#scoped.add(name);
      for (let dot = name.indexOf("."); dot >= 0; dot = name.indexOf(".", dot + 1)) this.#nonTerminals.add(name.slice(dot + 1));
    }
    this.size = records.length;
  }

  /** Whether some answer for the name depends on who asks (records scoped to askers' blocks). */
  dependsOnAsker(name: string): boolean {
    return this.#scoped.has(normalizeName(name));
  }

  answer(name: string, typeCode: number, askerIp?: string): ZoneAnswer {
    const chain: DnsRecord[] = [];
    let current = normalizeName(name);
    for (let step = 0; step <= cnameChainMax; step++) {
      const visible = this.#visible(current, askerIp);
      if (visible === undefined) {
        if (chain.length > 0) return { code: "NOERROR", records: chain };
        // A name whose records are all scoped to other askers does not exist for this one.
        const exists = this.#nonTerminals.has(current) && !this.#byName.has(current);
        return { code: exists ? "NOERROR" : "NXDOMAIN", records: [] };
      }
      const alias = visible.find((record) => record.type === "CNAME");
      if (alias && alias.type === "CNAME" && typeCode !== questionType.CNAME && typeCode !== questionType.ANY) {
        chain.push(alias);
        current = normalizeName(alias.target);
        continue;
      }
      const matching = typeCode === questionType.ANY ? visible : visible.filter((record) => typeCodes[record.type] === typeCode);
      return { code: "NOERROR", records: [...chain, ...matching] };
    }
    return { code: "NOERROR", records: chain };
  }

  /** The records of a name the asker may see; undefined when the name does not exist for it. */
  #visible(name: string, askerIp: string | undefined): DnsRecord[] | undefined {
    const records = this.#byName.get(name);
    if (!records) return undefined;
    const visible = records.filter((record) => record.type !== "A" || !record.askerCidr || (askerIp !== undefined && cidrContains(record.askerCidr, askerIp)));
    return visible.length > 0 ? visible : undefined;
  }
}
