// Just enough XML for the wire-fixture tests: elements, text and the five entities (the
// fixtures have no attributes besides the root's xmlns, no CDATA, no comments), a canonical
// form that ignores whitespace between elements and sibling order, and typed values read from
// a tree along a model shape, as a strict SDK would read them.

import type { ResolvedShape, ServiceModel } from "../../src/frontends/aws/protocols/mod.js";

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

const entities: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'", "&#13;": "\r" };

export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#root", children: [], text: "" };
  const stack = [root];
  const tokens = xml.replace(/<\?xml[^>]*\?>/, "").matchAll(/<(\/?)([A-Za-z][\w.:-]*)([^>]*?)(\/?)>|([^<]+)/g);
  for (const [, closing, name, , selfClosing, text] of tokens) {
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.text += text.replace(/&[a-z#0-9]+;/g, (entity) => entities[entity] ?? entity);
    } else if (closing) {
      stack.pop();
    } else {
      const node: XmlNode = { name: name!, children: [], text: "" };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  return root.children[0]!;
}

/** Whitespace between elements, the order of siblings, and `.000` in ISO times do not count. */
export function canonical(node: XmlNode): string {
  if (node.children.length === 0) return `<${node.name}>${node.text.trim().replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z$/, "$1Z")}</${node.name}>`;
  return `<${node.name}>${node.children.map(canonical).sort().join("")}</${node.name}>`;
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((candidate) => candidate.name === name);
}

/** The typed value of `node` along `shape`: members by locationName, list items by the member's name. */
export function readXml(model: ServiceModel, shape: ResolvedShape, node: XmlNode): unknown {
  switch (shape.type) {
    case "structure": {
      const value: Record<string, unknown> = {};
      for (const [name, reference] of Object.entries(shape.members ?? {})) {
        const member = model.resolve(reference);
        const found = child(node, member.locationName ?? name);
        if (found) value[name] = readXml(model, member, found);
      }
      return value;
    }
    case "list": {
      const member = model.resolve(shape.member!);
      const itemName = member.locationName ?? "member";
      return node.children.filter((item) => item.name === itemName).map((item) => readXml(model, member, item));
    }
    case "boolean":
      return node.text.trim() === "true";
    case "integer":
    case "long":
    case "float":
    case "double":
      return Number(node.text.trim());
    case "timestamp":
      return new Date(node.text.trim());
    default:
      return node.text;
  }
}
