// Moor's configuration: where its state lives and where it listens. Read once, in src/cmd/,
// and passed down explicitly; nothing else reads the environment.

import { homedir } from "node:os";
import { join } from "node:path";

export interface MoorConfig {
  /** The one data directory: state database, file-system data, logs, run files. */
  home: string;
  host: string;
  awsPort: number;
  kubePort: number;
  region: string;
  accountId: string;
  /** Where file-system data lives (any POSIX directory; default under home). */
  backingRoot: string;
  /** Make the `default` Fargate profile (namespaces default and kube-system) on first start. */
  defaultProfile: boolean;
  /** The node agent's name; the nodes it serves carry it in the moor.dev/agent label. */
  agentName: string;
}

export const defaultAwsPort = 4566;
export const defaultKubePort = 6443;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): MoorConfig {
  const home = env.MOOR_HOME || join(homedir(), ".moor");
  return {
    home,
    host: "127.0.0.1",
    awsPort: port(env.MOOR_AWS_PORT, defaultAwsPort, "MOOR_AWS_PORT"),
    kubePort: port(env.MOOR_KUBE_PORT, defaultKubePort, "MOOR_KUBE_PORT"),
    region: env.MOOR_REGION || "us-east-1",
    accountId: env.MOOR_ACCOUNT_ID || "000000000000",
    backingRoot: env.MOOR_BACKING_ROOT || join(home, "filesystems"),
    defaultProfile: env.MOOR_DEFAULT_PROFILE !== "false",
    agentName: env.MOOR_AGENT_NAME || "embedded",
  };
}

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`Cannot read ${name}: "${value}" is not a port number`);
  }
  return parsed;
}

/** Paths inside the data directory, in one place. */
export function paths(config: MoorConfig) {
  return {
    database: join(config.home, "state.db"),
    runFile: join(config.home, "run", "moor.json"),
    socket: join(config.home, "run", "moor.sock"),
    logFile: join(config.home, "logs", "moor.log"),
    kubeconfig: join(config.home, "kubeconfig"),
    awsConfig: join(config.home, "aws-config"),
    images: join(config.home, "images"),
    pods: join(config.home, "pods"),
    mounts: join(config.home, "mounts"),
  };
}
