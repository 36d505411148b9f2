// Name rules (RFC 1123 labels and subdomains, RFC 1035 labels, qualified names, label values)
// with upstream's exact messages, so `kubectl` users see what a real cluster says.

const labelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const subdomainPattern = `${labelPattern}(\\.${labelPattern})*`;
const dns1035Pattern = "[a-z]([-a-z0-9]*[a-z0-9])?";
const qualifiedNamePattern = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const labelValuePattern = `(${qualifiedNamePattern})?`;

const labelRegex = new RegExp(`^${labelPattern}$`);
const subdomainRegex = new RegExp(`^${subdomainPattern}$`);
const dns1035Regex = new RegExp(`^${dns1035Pattern}$`);
const qualifiedNameRegex = new RegExp(`^${qualifiedNamePattern}$`);
const labelValueRegex = new RegExp(`^${labelValuePattern}$`);

/** Upstream's RegexError wording, double space included. */
function regexError(message: string, pattern: string, examples: string[]): string {
  let text = `${message} (e.g. `;
  examples.forEach((example, index) => {
    if (index > 0) text += " or ";
    text += `'${example}', `;
  });
  return `${text}regex used for validation is '${pattern}')`;
}

function maxLength(length: number): string {
  return `must be no more than ${length} characters`;
}

export const labelMessage = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  labelPattern,
  ["my-name", "123-abc"],
);
export const subdomainMessage = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  subdomainPattern,
  ["example.com"],
);
export const dns1035Message = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  dns1035Pattern,
  ["my-name", "abc-123"],
);

/** Problems with a value as an RFC 1123 label (namespaces, container names). Empty: valid. */
export function labelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push(maxLength(63));
  if (!labelRegex.test(value)) problems.push(labelMessage);
  return problems;
}

export function subdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 253) problems.push(maxLength(253));
  if (!subdomainRegex.test(value)) problems.push(subdomainMessage);
  return problems;
}

export function dns1035Problems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push(maxLength(63));
  if (!dns1035Regex.test(value)) problems.push(dns1035Message);
  return problems;
}

/** A label or annotation key: optional DNS-subdomain prefix, "/", and a name part. */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split("/");
  let name = value;
  const problems: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) problems.push("prefix part must be non-empty");
    else for (const problem of subdomainProblems(prefix)) problems.push(`prefix part ${problem}`);
  } else if (parts.length > 2) {
    return [
      regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedNamePattern,
        ["MyName", "my.name", "123-abc"],
      ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push(`name part ${maxLength(63)}`);
  if (name.length > 0 && !qualifiedNameRegex.test(name)) {
    problems.push(
      regexError(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        qualifiedNamePattern,
        ["MyName", "my.name", "123-abc"],
      ),
    );
  }
  return problems;
}

export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push(maxLength(63));
  if (!labelValueRegex.test(value)) {
    problems.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValuePattern,
        ["MyValue", "my_value", "12345"],
      ),
    );
  }
  return problems;
}

/** Names that cannot appear in a URL path segment, whatever the kind's own rule. */
export function pathSegmentProblems(value: string): string[] {
  if (value === "." || value === "..") return [`may not be '${value}'`];
  const problems: string[] = [];
  for (const forbidden of ["/", "%"]) if (value.includes(forbidden)) problems.push(`may not contain '${forbidden}'`);
  return problems;
}

const generatedAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** Upstream's generateName suffix: five characters from an alphabet without vowels. */
export function generatedSuffix(random: () => number, length = 5): string {
  let suffix = "";
  for (let index = 0; index < length; index++) suffix += generatedAlphabet[Math.floor(random() * generatedAlphabet.length)];
  return suffix;
}

/** Encodes a 32-bit hash the way upstream names pod-template-hash values (no vowels). */
export function safeEncode(value: number): string {
  let text = "";
  let remaining = value >>> 0;
  do {
    text = generatedAlphabet[remaining % generatedAlphabet.length] + text;
    remaining = Math.floor(remaining / generatedAlphabet.length);
  } while (remaining > 0);
  return text;
}

/** FNV-1a, 32 bits: a stable hash of a template's canonical JSON, with no node:crypto. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with object keys sorted, so equal objects hash alike whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value as object)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}
