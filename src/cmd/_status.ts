// `moor status`: what runs for this data directory, where it listens, and the embedded VPC.

import type { MoorConfig } from "../config/mod.js";
import { loadConfig, paths } from "../config/mod.js";
import { embeddedVpc } from "../domain/network/mod.js";
import type { RunInfo } from "./_runfile.js";
import { readRunFile } from "./_runfile.js";

export async function commandStatus(_args: string[]): Promise<number> {
  const config = loadConfig();
  const info = readRunFile(paths(config).runFile);
  if (!info) {
    console.log(`Moor is not running for "${config.home}"`);
    return 3;
  }
  printStatus(config, info);
  return 0;
}

export function printStatus(config: MoorConfig, info: RunInfo): void {
  const vpc = embeddedVpc(info.region);
  const lines = [
    `Moor is running (pid ${info.pid}, since ${info.startedAt})`,
    `  data directory  ${config.home}`,
    `  AWS endpoint    http://${info.host}:${info.awsPort}  (region ${info.region})`,
  ];
  if (info.kubePort) lines.push(`  Kubernetes API  https://${info.host}:${info.kubePort}  (kubeconfig ${info.kubeconfig})`);
  lines.push(`  VPC             ${vpc.vpcId}  ${vpc.cidrBlock}  security group ${vpc.defaultSecurityGroupId}`);
  for (const subnet of vpc.subnets) {
    lines.push(`  subnet          ${subnet.subnetId}  ${subnet.cidrBlock}  ${subnet.availabilityZone} (${subnet.availabilityZoneId})`);
  }
  lines.push("Run `eval \"$(moor env)\"` to point aws and kubectl at it.");
  console.log(lines.join("\n"));
}
