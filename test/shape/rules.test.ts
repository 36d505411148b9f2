// Each shape rule on a few in-memory files.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layers } from "./_layers.js";
import { checkSources, type Violation } from "./_rules.js";

/**
 * The violations as `rule file subject` lines, the easiest form to compare; fixtures leave out
 * most head files, so a missing one counts only in its own test.
 */
function check(files: Record<string, string>): string[] {
  return checkSources(new Map(Object.entries(files)))
    .filter((violation) => violation.rule !== "missing-head-file")
    .map(brief);
}

function brief(violation: Violation): string {
  return `${violation.rule} ${violation.file} ${violation.subject}`.trim();
}

describe("head files", () => {
  it("a folder without mod.ts is missing its head file, except the entries' folder src/cmd", () => {
    const found = checkSources(new Map([
      ["src/domain/network/vpc.ts", "export {};\n"],
      ["src/domain/efs/mod.ts", "export {};\n"],
      ["src/cmd/moor.ts", "export {};\n"],
    ]));
    assert.deepEqual(found.map(brief), ["missing-head-file src/domain/network mod.ts"]);
  });

  it("an import of another folder's _ file is a private-file violation", () => {
    const found = check({
      "src/agent/_command.ts": "export const run = 1;\n",
      "src/agent/images/mod.ts": 'import { run } from "../_command.js";\n',
    });
    assert.ok(found.includes('private-file src/agent/images/mod.ts ../_command.js'), found.join("\n"));
  });

  it("an import of another folder's file other than mod.ts is a head-file violation", () => {
    const found = check({
      "src/frontends/moor/client.ts": "export const client = 1;\n",
      "src/cmd/_efs.ts": 'import { client } from "../frontends/moor/client.js";\n',
    });
    assert.deepEqual(found, ["head-file src/cmd/_efs.ts ../frontends/moor/client.js"]);
  });

  it("a folder imports its own files, and other folders through mod.ts, freely", () => {
    const found = check({
      "src/store/_rows.ts": "export const rows = 1;\n",
      "src/store/mod.ts": 'export { rows } from "./_rows.js";\nimport "../domain/objects/mod.js";\n',
      "src/domain/objects/mod.ts": "export const objects = 1;\n",
    });
    assert.deepEqual(found, []);
  });

  it("a parent folder imports a subfolder only through the subfolder's mod.ts", () => {
    const found = check({
      "src/agent/mod.ts": 'import "./images/mod.js";\nimport "./images/_lock.js";\n',
      "src/agent/images/mod.ts": "export {};\n",
      "src/agent/images/_lock.ts": "export {};\n",
    });
    assert.deepEqual(found, ["private-file src/agent/mod.ts ./images/_lock.js"]);
  });

  it("a test file imports its own folder's private files", () => {
    const found = check({
      "src/engines/fuse/_stat.ts": "export {};\n",
      "src/engines/fuse/_stat.test.ts": 'import "./_stat.js";\n',
      "src/store/store.contract.ts": 'import "./_memory.js";\n',
      "src/store/_memory.ts": "export {};\n",
    });
    assert.deepEqual(found, []);
  });

  it("every kind of import is read: export from, dynamic import(), import types", () => {
    const found = check({
      "src/agent/_x.ts": "export {};\n",
      "src/cmd/a.ts": 'export * from "../agent/_x.js";\n',
      "src/cmd/b.ts": 'const x = await import("../agent/_x.js");\n',
      "src/cmd/c.ts": 'let y: import("../agent/_x.js").T;\n',
      "src/cmd/d.ts": 'import type { T } from "../agent/_x.js";\n',
    });
    assert.deepEqual(found, ["a", "b", "c", "d"].map((name) => `private-file src/cmd/${name}.ts ../agent/_x.js`));
  });

  it("a file importing the same module twice, as a value and as a type, is one violation", () => {
    const found = check({
      "src/agent/_x.ts": "export {};\n",
      "src/cmd/a.ts": 'import "../agent/_x.js";\nlet y: import("../agent/_x.js").T;\n',
    });
    assert.deepEqual(found, ["private-file src/cmd/a.ts ../agent/_x.js"]);
  });
});

describe("a pure domain", () => {
  it("domain code importing node:* or any package is not pure", () => {
    const found = check({
      "src/domain/efs/mod.ts": 'import { readFileSync } from "node:fs";\nimport "crypto";\nimport YAML from "yaml";\n',
    });
    assert.deepEqual(found, [
      "domain-pure src/domain/efs/mod.ts node:fs",
      "domain-pure src/domain/efs/mod.ts crypto",
      "domain-pure src/domain/efs/mod.ts yaml",
    ]);
  });

  it("domain code importing the store or a front end breaks the layers; errors are allowed", () => {
    const found = check({
      "src/domain/kube/pods.ts": 'import "../../store/mod.js";\nimport "../../frontends/kube/mod.js";\nimport "../../errors/mod.js";\n',
    });
    assert.deepEqual(found, [
      "layer src/domain/kube/pods.ts ../../store/mod.js",
      "layer src/domain/kube/pods.ts ../../frontends/kube/mod.js",
    ]);
  });

  it("domain code reading the clock, timers or process is not pure; a given date is", () => {
    const found = check({
      "src/domain/fargate/mod.ts": [
        "export const a = Date.now();",
        "export const b = new Date();",
        "export const c = new Date(0);",
        "setTimeout(() => {}, 1);",
        "setInterval(() => {}, 1);",
        "export const d = performance.now();",
        "export const e = process.env.HOME;",
      ].join("\n"),
    });
    assert.deepEqual(found, [
      "Date.now", "new Date()", "setTimeout", "setInterval", "performance.now", "process.env",
    ].map((what) => `domain-pure src/domain/fargate/mod.ts ${what}`));
  });

  it("domain tests may use node:test and a clock; other folders may use node:*", () => {
    const found = check({
      "src/domain/efs/efs.test.ts": 'import { it } from "node:test";\nconst now = Date.now();\n',
      "src/store/_sqlite.ts": 'import "node:fs";\nconst now = Date.now();\n',
    });
    assert.deepEqual(found, []);
  });
});

describe("layers", () => {
  it("front ends import no controllers and no engines, services no front ends", () => {
    const found = check({
      "src/frontends/kube/_fargate.ts": 'import "../../controllers/profiles/mod.js";\nimport "../../engines/mount/mod.js";\n',
      "src/frontends/aws/mod.ts": 'import "../../services/efs/mod.js";\n',
      "src/services/efs/mod.ts": 'import "../../frontends/kube/mod.js";\n',
    });
    assert.deepEqual(found, [
      "layer src/frontends/kube/_fargate.ts ../../controllers/profiles/mod.js",
      "layer src/frontends/kube/_fargate.ts ../../engines/mount/mod.js",
      "layer src/services/efs/mod.ts ../../frontends/kube/mod.js",
    ]);
  });

  it("only src/cmd imports src/cmd, and the store imports only domain and errors", () => {
    const found = check({
      "src/frontends/moor/mod.ts": 'import "../../cmd/_up.js";\n',
      "src/store/mod.ts": 'import "../events/mod.js";\nimport "../domain/objects/mod.js";\nimport "../errors/mod.js";\n',
    });
    assert.ok(found.includes("layer src/frontends/moor/mod.ts ../../cmd/_up.js"), found.join("\n"));
    assert.ok(found.includes("layer src/store/mod.ts ../events/mod.js"), found.join("\n"));
    assert.equal(found.length, 2, found.join("\n"));
  });

  it("a top-level folder missing from the layers table is reported, as is an import out of src", () => {
    const found = checkSources(new Map([
      ["src/gadgets/mod.ts", 'import "../errors/mod.js";\n'],
      ["src/store/mod.ts", 'import "../../test/harness.js";\n'],
    ]));
    assert.deepEqual(found.map((violation) => violation.message), [
      "src/gadgets is not in the layers table of _layers.ts",
      "src imports nothing outside src",
    ]);
  });

  it("the layers table points one way: no two top-level folders may import each other", () => {
    const reach = (from: string, seen = new Set<string>()): Set<string> => {
      for (const next of layers[from] ?? []) if (!seen.has(next)) reach(next, seen.add(next));
      return seen;
    };
    for (const folder of Object.keys(layers)) assert.ok(!reach(folder).has(folder), `${folder} reaches itself`);
    for (const [folder, allowed] of Object.entries(layers)) {
      assert.ok(folder === "cmd" || !allowed.includes("cmd"), `${folder} may import cmd`);
      for (const name of allowed) assert.ok(name in layers, `${folder} lists unknown ${name}`);
    }
  });
});
