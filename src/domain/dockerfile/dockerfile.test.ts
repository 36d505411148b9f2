import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyMetadata, cacheKeyMaterial, durationNanoseconds, expandWord, expandWords, keyValuePairs, parseDockerfile, resolveUser, stagesOf } from "./mod.js";

const vars = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("parseDockerfile()", () => {
  it("joins continuation lines and skips comments and blank lines inside them", () => {
    const { instructions } = parseDockerfile("FROM busybox\n# a comment\nRUN echo a \\\n  # inside\n\n  && echo b\nCMD [\"sh\"]\n");
    assert.deepEqual(instructions.map((entry) => [entry.line, entry.keyword, entry.args]), [
      [1, "FROM", "busybox"],
      [3, "RUN", "echo a   && echo b"],
      [7, "CMD", '["sh"]'],
    ]);
  });

  it("honours the escape directive so backslashes stay literal", () => {
    const parsed = parseDockerfile("# escape=`\nFROM busybox\nRUN dir c:\\ `\n  && echo done\n");
    assert.equal(parsed.escape, "`");
    assert.equal(parsed.instructions[1]!.args, "dir c:\\   && echo done");
  });

  it("tells the JSON form from the shell form, falling back to the shell form for bad JSON", () => {
    const { instructions } = parseDockerfile('FROM a\nCMD ["nginx", "-g", "daemon off;"]\nCMD [nginx]\nENTRYPOINT echo hi\n');
    assert.deepEqual(instructions[1]!.json, ["nginx", "-g", "daemon off;"]);
    assert.equal(instructions[2]!.json, undefined);
    assert.equal(instructions[3]!.json, undefined);
  });

  it("reads leading flags and keeps instruction keywords case-insensitive", () => {
    const [, copy] = parseDockerfile("from a AS build\ncopy --from=build --chown=1:2 /out /app\n").instructions;
    assert.equal(copy!.keyword, "COPY");
    assert.deepEqual(copy!.flags, { from: "build", chown: "1:2" });
    assert.equal(copy!.args, "/out /app");
  });

  it("names the line of an unknown instruction", () => {
    assert.throws(() => parseDockerfile("FROM a\n\nFROBNICATE x\n"), { message: "Dockerfile:3: unknown instruction: FROBNICATE" });
  });
});

describe("stagesOf()", () => {
  it("splits stages at FROM, names them, and keeps ARGs before the first FROM global", () => {
    const staged = stagesOf(parseDockerfile("ARG BASE=busybox\nFROM $BASE AS Build\nRUN true\nFROM busybox\nCOPY --from=build /a /a\n"));
    assert.equal(staged.globalArgs.length, 1);
    assert.deepEqual(staged.stages.map((stage) => [stage.name, stage.instructions.length]), [["build", 1], [undefined, 1]]);
  });

  it("refuses an instruction before the first FROM other than ARG", () => {
    assert.throws(() => stagesOf(parseDockerfile("RUN true\nFROM a\n")), /Dockerfile:1: RUN true: the first instruction must be FROM/);
  });
});

describe("expandWord() and expandWords()", () => {
  it("substitutes $NAME, ${NAME}, defaults and alternatives, leaving unset names empty", () => {
    const variables = vars({ A: "x", EMPTY: "" });
    assert.equal(expandWord("$A/${A}/${B:-dflt}/${A:+alt}/${B:+alt}/${EMPTY:-e}/${EMPTY-e}/$B.", variables), "x/x/dflt/alt//e//.");
  });

  it("keeps single-quoted text and escaped dollars literal and groups quoted words", () => {
    const variables = vars({ A: "x y" });
    assert.deepEqual(expandWords("'$A' \"$A\" \\$A $A", variables), ["$A", "x y", "$A", "x y"]);
  });

  it("reads ENV's key=value pairs with quotes, and the legacy one-key form", () => {
    assert.deepEqual(keyValuePairs('A=1 B="two words" C=${A}3', vars({ A: "0" })), [["A", "1"], ["B", "two words"], ["C", "03"]]);
    assert.deepEqual(keyValuePairs("PATH /usr/bin:$X", vars({ X: "/bin" })), [["PATH", "/usr/bin:/bin"]]);
  });
});

describe("applyMetadata()", () => {
  const apply = (config: object, line: string, variables = vars({})) => applyMetadata(config, parseDockerfile(`FROM a\n${line}\n`).instructions[1]!, variables, "\\");

  it("records ports, volumes, labels, user, a relative WORKDIR, and ENTRYPOINT dropping the inherited CMD", () => {
    let config = apply({ Cmd: ["bash"] }, "EXPOSE 80 53/UDP");
    config = apply(config, 'VOLUME ["/data"]');
    config = apply(config, 'LABEL org.example.a="b c"');
    config = apply(config, "USER www-data");
    config = apply(config, "WORKDIR /srv");
    config = apply(config, "WORKDIR $SUB", vars({ SUB: "app" }));
    config = apply(config, "ENTRYPOINT /start.sh");
    assert.deepEqual(config, {
      Cmd: null,
      ExposedPorts: { "80/tcp": {}, "53/udp": {} },
      Volumes: { "/data": {} },
      Labels: { "org.example.a": "b c" },
      User: "www-data",
      WorkingDir: "/srv/app",
      Entrypoint: ["/bin/sh", "-c", "/start.sh"],
    });
  });

  it("stores a HEALTHCHECK's test and timings, and SHELL changes the shell form", () => {
    const config = apply({}, "HEALTHCHECK --interval=30s --timeout=1m30s --retries=3 CMD curl -f http://localhost/");
    assert.deepEqual(config.Healthcheck, { Test: ["CMD-SHELL", "curl -f http://localhost/"], Interval: 30e9, Timeout: 90e9, Retries: 3 });
    const shelled = apply(apply({}, 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]'), "CMD echo hi");
    assert.deepEqual(shelled.Cmd, ["/bin/bash", "-eo", "pipefail", "-c", "echo hi"]);
  });

  it("overrides an ENV key in place", () => {
    assert.deepEqual(apply({ Env: ["PATH=/bin", "A=1"] }, "ENV PATH=/usr/bin:$PATH", vars({ PATH: "/bin" })).Env, ["PATH=/usr/bin:/bin", "A=1"]);
  });

  it("reads Go durations", () => {
    assert.equal(durationNanoseconds("500ms"), 5e8);
    assert.throws(() => durationNanoseconds("5"), /Cannot read duration "5"/);
  });
});

describe("cacheKeyMaterial()", () => {
  it("changes with the parent, the text, the build args in effect and the content, not with their order", () => {
    const base = { parent: "sha256:1", text: "RUN make", buildArgs: [["A", "1"], ["B", "2"]] as const, contentDigest: "" };
    const key = cacheKeyMaterial(base);
    assert.equal(cacheKeyMaterial({ ...base, buildArgs: [["B", "2"], ["A", "1"]] }), key);
    assert.notEqual(cacheKeyMaterial({ ...base, parent: "sha256:2" }), key);
    assert.notEqual(cacheKeyMaterial({ ...base, text: "RUN make all" }), key);
    assert.notEqual(cacheKeyMaterial({ ...base, buildArgs: [["A", "3"], ["B", "2"]] }), key);
    assert.notEqual(cacheKeyMaterial({ ...base, contentDigest: "sha256:f" }), key);
  });
});

describe("resolveUser()", () => {
  const passwd = "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n";
  const group = "root:x:0:\nwww-data:x:33:\nstaff:x:50:\n";

  it("turns names into ids from the image's files and keeps numeric ids as they are", () => {
    assert.deepEqual(resolveUser("www-data", passwd, group), { uid: 33, gid: 33 });
    assert.deepEqual(resolveUser("www-data:staff", passwd, group), { uid: 33, gid: 50 });
    assert.deepEqual(resolveUser("1000:1000", passwd, group), { uid: 1000, gid: 1000 });
    assert.deepEqual(resolveUser("1000", passwd, group), { uid: 1000, gid: 0 });
  });

  it("refuses a user name the image does not know", () => {
    assert.throws(() => resolveUser("nobody", passwd, group), { message: 'Cannot find user "nobody" in the image\'s /etc/passwd' });
  });
});
