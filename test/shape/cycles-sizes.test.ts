// Folder cycles and the size rules on a few in-memory files.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSource } from "./_parse.js";
import { checkSources } from "./_rules.js";

function lines(count: number): string {
  return Array.from({ length: count }, (_, index) => `  const v${index} = ${index};`).join("\n");
}

describe("folder cycles", () => {
  it("two folders whose files import each other are one cycle, shown as a path with its files", () => {
    const found = checkSources(new Map([
      ["src/agent/mod.ts", 'import "./images/mod.js";\n'],
      ["src/agent/images/_archive.ts", 'import "../mod.js";\n'],
      ["src/agent/images/mod.ts", "export {};\n"],
    ]));
    assert.deepEqual(found.map((violation) => [violation.rule, violation.subject, violation.message]), [[
      "cycle",
      "src/agent, src/agent/images",
      "folders import each other: src/agent → src/agent/images (src/agent/mod.ts) → src/agent (src/agent/images/_archive.ts)",
    ]]);
  });

  it("a cycle through three folders is one violation naming all three", () => {
    const found = checkSources(new Map([
      ["src/engines/a/mod.ts", 'import "../b/mod.js";\n'],
      ["src/engines/b/mod.ts", 'import "../c/mod.js";\n'],
      ["src/engines/c/mod.ts", 'import "../a/mod.js";\n'],
    ]));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.subject, "src/engines/a, src/engines/b, src/engines/c");
    assert.match(found[0]!.message, /src\/engines\/a → src\/engines\/b .* → src\/engines\/c .* → src\/engines\/a /);
  });

  it("imports one way only, or back from a test file, make no cycle", () => {
    const found = checkSources(new Map([
      ["src/engines/a/mod.ts", 'import "../b/mod.js";\n'],
      ["src/engines/b/mod.ts", "export {};\n"],
      ["src/engines/b/b.test.ts", 'import "../a/mod.js";\n'],
    ]));
    assert.deepEqual(found, []);
  });
});

describe("sizes", () => {
  it("a file over 300 lines is reported with its size; 300 lines is fine", () => {
    const at300 = "x;\n".repeat(300);
    const found = checkSources(new Map([["src/errors/a.ts", at300], ["src/errors/mod.ts", at300 + "x;\n"]]));
    assert.deepEqual(found.map((violation) => [violation.rule, violation.file, violation.size]), [
      ["file-size", "src/errors/mod.ts", 301],
    ]);
  });

  it("a function over 70 lines is reported with its name and size; 70 lines is fine", () => {
    const text = `export function long() {\n${lines(70)}\n}\nexport function short() {\n${lines(68)}\n}\n`;
    const found = checkSources(new Map([["src/errors/mod.ts", text]]));
    assert.deepEqual(found.map((violation) => [violation.rule, violation.subject, violation.size, violation.line]), [
      ["function-size", "long", 72, 1],
    ]);
  });

  it("a describe callback groups tests and is not held to the function size", () => {
    const text = `describe("x", () => {\n  it("y", () => {\n${lines(80)}\n  });\n${lines(80)}\n});\n`;
    const found = checkSources(new Map([["src/errors/errors.test.ts", text], ["src/errors/mod.ts", ""]]));
    assert.deepEqual(found.map((violation) => violation.subject), ['it("y") callback']);
  });
});

describe("function names", () => {
  it("functions are named so an entry survives edits elsewhere in the file", () => {
    const text = [
      "export function plain() {}",
      "export const arrow = () => 1;",
      "class Engine { constructor() {} mount() {} get size() { return 1; } #hidden = function () {}; }",
      "const handlers = { open() {}, close: () => 2 };",
      "export function outer() { return [1].map((n) => n).filter(function (n) { return n; }); }",
      "this.watch(() => 3); items.forEach(() => 4);",
      'it("does a thing", async () => {});',
      "plain(() => 1); plain(() => 2);",
      "export function factory() { return () => 5; }",
    ].join("\n");
    assert.deepEqual(parseSource("x.ts", text).functions.map((fn) => fn.name), [
      "plain", "arrow", "Engine.constructor", "Engine.mount", "Engine.size", "Engine.#hidden",
      "handlers.open", "handlers.close", "outer", "map callback in outer", "filter callback in outer",
      "this.watch callback", "items.forEach callback",
      'it("does a thing") callback', "plain callback", "plain callback #2", "factory", "<anonymous> in factory",
    ]);
  });
});
