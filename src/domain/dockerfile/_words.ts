// Variable substitution and word splitting as Docker does it for ENV, ARG, LABEL, COPY, ADD,
// WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL and FROM: $NAME, ${NAME}, ${NAME:-word},
// ${NAME:+word}; single quotes keep text literal, double quotes group words, the escape
// character makes the next character literal. RUN, CMD and ENTRYPOINT are left to the shell.

export type Variables = ReadonlyMap<string, string>;

/** The text as one word: quotes removed, variables substituted, whitespace kept. */
export function expandWord(text: string, variables: Variables, escape = "\\"): string {
  return process(text, variables, escape, false).join("");
}

/** The text split into words on unquoted whitespace, quotes removed, variables substituted. */
export function expandWords(text: string, variables: Variables, escape = "\\"): string[] {
  return process(text, variables, escape, true);
}

function process(text: string, variables: Variables, escape: string, split: boolean): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  let quote: "'" | '"' | undefined;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      index++;
      continue;
    }
    if (char === escape && index + 1 < text.length) {
      word += text[index + 1];
      started = true;
      index += 2;
      continue;
    }
    if (char === "$") {
      const [value, length] = variable(text, index, variables, escape);
      word += value;
      started = true;
      index += length;
      continue;
    }
    if (!quote && (char === "'" || char === '"')) {
      quote = char;
      started = true;
    } else if (quote === '"' && char === '"') {
      quote = undefined;
    } else if (split && !quote && /\s/.test(char)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += char;
      started = true;
    }
    index++;
  }
  if (started || !split) words.push(word);
  return words;
}

/** The value of the variable reference at text[start] ("$") and the length it spans. */
function variable(text: string, start: number, variables: Variables, escape: string): [string, number] {
  const simple = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(start));
  if (simple) return [variables.get(simple[1]!) ?? "", simple[0].length];
  if (text[start + 1] !== "{") return ["$", 1];
  const end = closingBrace(text, start + 2);
  if (end < 0) return ["$", 1];
  const inner = text.slice(start + 2, end);
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(inner);
  if (!match) return [text.slice(start, end + 1), end + 1 - start];
  const [, name, operator, word = ""] = match;
  const value = variables.get(name!);
  const set = operator?.startsWith(":") ? value !== undefined && value !== "" : value !== undefined;
  if (operator?.endsWith("-")) return [set ? value! : expandWord(word, variables, escape), end + 1 - start];
  if (operator?.endsWith("+")) return [set ? expandWord(word, variables, escape) : "", end + 1 - start];
  return [value ?? "", end + 1 - start];
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let index = from; index < text.length; index++) {
    if (text[index] === "{") depth++;
    if (text[index] === "}" && --depth === 0) return index;
  }
  return -1;
}

/** "KEY=value KEY2=value2" or the legacy "KEY value" (ENV and LABEL). */
export function keyValuePairs(text: string, variables: Variables, escape = "\\"): Array<[string, string]> {
  const first = /^(\S+)(\s+|$)/.exec(text);
  if (first && !first[1]!.includes("=")) return [[first[1]!, expandWord(text.slice(first[0].length), variables, escape)]];
  return expandWords(text, variables, escape).map((word) => {
    const equals = word.indexOf("=");
    return equals < 0 ? [word, ""] : [word.slice(0, equals), word.slice(equals + 1)];
  });
}
