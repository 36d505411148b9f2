// XML replies for the query and ec2 protocols, written from the output shape: each member an
// element named by its locationName, else its member name; a list's items named by the member's
// locationName, else `member` (EC2's models name them `item`), or repeated bare when flattened;
// maps as `<entry><key/><value/></entry>`. Text is escaped, and characters XML 1.0 cannot carry
// at all become U+FFFD, so any string a client sent comes back as well-formed XML.

import type { ResolvedShape, ServiceModel } from "./_model.js";
import { scalarToText } from "./_scalars.js";

// Characters XML 1.0 forbids even as references, and lone surrogates.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Element text only (attributes are never written from data): quotes need no escape.
const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };

export function escapeXml(text: string): string {
  return text.replace(forbidden, "\uFFFD").replace(/[&<>\r]/g, (character) => escapes[character]!);
}

export function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

/** The members of a structure value as XML elements, in the shape's member order. */
export function structureXml(model: ServiceModel, shape: ResolvedShape, value: Record<string, unknown>): string {
  let xml = "";
  for (const [name, reference] of Object.entries(shape.members ?? {})) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    const resolved = model.resolve(reference);
    xml += memberXml(model, resolved, resolved.locationName ?? name, member);
  }
  return xml;
}

function memberXml(model: ServiceModel, shape: ResolvedShape, name: string, value: unknown): string {
  switch (shape.type) {
    case "structure":
      return element(name, structureXml(model, shape, value as Record<string, unknown>));
    case "list": {
      const member = model.resolve(shape.member!);
      const items = Array.isArray(value) ? value : [];
      if (shape.flattened) return items.map((item) => memberXml(model, member, member.locationName ?? name, item)).join("");
      return element(name, items.map((item) => memberXml(model, member, member.locationName ?? "member", item)).join(""));
    }
    case "map": {
      const key = model.resolve(shape.key!);
      const item = model.resolve(shape.value!);
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([entryKey, entryValue]) => memberXml(model, key, key.locationName ?? "key", entryKey) + memberXml(model, item, item.locationName ?? "value", entryValue),
      );
      if (shape.flattened) return entries.map((entry) => element(name, entry)).join("");
      return element(name, entries.map((entry) => element("entry", entry)).join(""));
    }
    default: {
      const text = scalarToText(shape.type, value);
      return text === undefined ? "" : element(name, escapeXml(text));
    }
  }
}
