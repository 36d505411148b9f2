// The shape check from the command line, after a build:
//   node dist/test/shape/_check.js           every current violation; exit 1 on a new one,
//                                            a grown size, or a listed one that is fixed
//   node dist/test/shape/_check.js --write   rewrite test/shape/ratchet.json from the tree,
//                                            keeping reasons; new entries say "TODO: reason"
import { compare, describe, failed, format, reasonTodo, regenerate, unexplained } from "./_ratchet.js";
import { checkSources } from "./_rules.js";
import { ratchetPath, readRatchet, readSources, writeRatchet } from "./_sources.js";

function main(argv: readonly string[]): number {
  const violations = checkSources(readSources());
  const entries = readRatchet();
  if (argv.includes("--write")) {
    const next = regenerate(violations, entries);
    writeRatchet(next);
    const todo = unexplained(next).length;
    console.log(`${ratchetPath}: ${next.length} entries (was ${entries.length}); ${todo} need a reason ("${reasonTodo}")`);
    return 0;
  }
  const comparison = compare(violations, entries);
  for (const violation of comparison.listed) console.log(`listed: ${format(violation)}`);
  for (const line of describe(comparison, ratchetPath)) console.log(line);
  for (const { violation, entry } of comparison.shrunk) {
    console.log(`note: ${violation.file} ${violation.subject} shrank from ${entry.size} to ${violation.size}; --write records it`);
  }
  console.log(
    `${violations.length} violations: ${comparison.listed.length} listed in ${ratchetPath}, ${comparison.fresh.length} new, ` +
      `${comparison.grown.length} grown; ${comparison.stale.length} listed entries fixed`,
  );
  if (failed(comparison)) {
    console.log("fix the new ones (one that must stay: --write, then give it a reason); --write also drops fixed entries");
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
