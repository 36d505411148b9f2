// `moor env`: the shell exports that point the real aws CLI, the AWS SDKs and kubectl at Moor.

import { loadConfig, paths } from "../config/mod.js";
import { readRunFile } from "./_runfile.js";

export const accessKeyId = "moor";
export const secretAccessKey = "moor-secret-access-key";

export async function commandEnv(_args: string[]): Promise<number> {
  const config = loadConfig();
  const info = readRunFile(paths(config).runFile);
  const host = info?.host ?? config.host;
  const awsPort = info?.awsPort ?? config.awsPort;
  const region = info?.region ?? config.region;
  const exports: [string, string][] = [
    ["AWS_ENDPOINT_URL", `http://${host}:${awsPort}`],
    ["AWS_ACCESS_KEY_ID", accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", secretAccessKey],
    ["AWS_REGION", region],
    ["AWS_DEFAULT_REGION", region],
  ];
  if (info?.kubeconfig) exports.push(["KUBECONFIG", info.kubeconfig]);
  if (!info) console.error(`moor: Moor is not running for "${config.home}"; these exports are for when it is`);
  console.log(exports.map(([name, value]) => `export ${name}=${shellQuote(value)}`).join("\n"));
  return 0;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
