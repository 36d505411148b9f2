// Runs the programs the builder drives (tar, cp, mount, runc, debootstrap): output captured,
// or streamed line by line to the build's output, and a failure said as the program's own.

import { spawn } from "node:child_process";
import { unavailable } from "../../errors/mod.js";

export interface RunOptions {
  allowFailure?: boolean;
  /** Receives the output as it comes (stdout and stderr interleaved). */
  output?: (chunk: string) => void;
  env?: NodeJS.ProcessEnv;
}

const capturedMaxBytes = 64 * 1024;

export function run(file: string, args: string[], options: RunOptions = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env });
    let output = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      options.output?.(text);
      output = (output + text).slice(-capturedMaxBytes);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => reject(unavailable(`Cannot run ${file}: ${error.message}`, { cause: error })));
    child.on("close", (code, signal) => {
      const result = { code: code ?? 128, output };
      if (result.code === 0 || options.allowFailure) return resolve(result);
      const said = output.trim().split("\n").slice(-3).join(" ");
      reject(unavailable(`Cannot run ${[file, ...args.slice(0, 3)].join(" ")}: it exited with ${signal ?? code}${said ? `: ${said}` : ""}`));
    });
  });
}
