// The `moor` command: one binary, one subcommand per file in this folder.

import { commandUp } from "./_up.js";
import { commandDown } from "./_down.js";
import { commandStatus } from "./_status.js";
import { commandEnv } from "./_env.js";
import { commandNodeGroup, commandProfile } from "./_profile.js";
import { commandEfs } from "./_efs.js";
import { commandImage } from "./_image.js";
import { commandCluster } from "./_cluster.js";
import { commandLogs } from "./_logs.js";

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  up: { run: commandUp, summary: "start the embedded Moor (foreground; -d to detach)" },
  down: { run: commandDown, summary: "stop the embedded Moor (--all: and its pods, mounts and networks)" },
  status: { run: commandStatus, summary: "say what runs, where, and the embedded VPC" },
  env: { run: commandEnv, summary: "print the shell exports for the aws CLI and kubectl" },
  cluster: { run: commandCluster, summary: "EKS clusters from eksctl files: create -f, delete -f, ls" },
  profile: { run: commandProfile, summary: "Fargate profiles: create, ls, rm" },
  nodegroup: { run: commandNodeGroup, summary: "node groups (long-lived nodes): create, ls, rm" },
  efs: { run: commandEfs, summary: "mount a file system on this host: mount, umount, mounts" },
  image: { run: commandImage, summary: "images for pods: load <docker-save or OCI archive>, ls, rm" },
  logs: { run: commandLogs, summary: "CloudWatch Logs: tail [--follow] [--since 10m] <group> (aws logs tail for CLI v1)" },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(10)}${summary}`);
  return ["Usage: moor <command> [options]", "", "Commands:", ...lines, "", "Data directory: $MOOR_HOME (default ~/.moor)"].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`moor: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`moor: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
