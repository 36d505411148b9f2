// What the Terraform tests share: whether this machine has Terraform and the AWS provider's
// filesystem mirror, a working directory whose CLI configuration installs the provider from that
// mirror only (there is no network), the provider block pointed at a Moor, and running terraform.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "./harness.js";

const mirror = "/opt/tf-plugins";
const providerVersion = "5.100.0";
const pluginCache = join(process.env.MOOR_CACHE || "/var/cache/moor", "terraform-plugins");

/** Why the Terraform tests cannot run here, or false when they can. */
export const terraformMissing: string | false =
  !existsSync("/usr/local/bin/terraform") || !existsSync(join(mirror, "registry.terraform.io/hashicorp/aws", providerVersion))
    ? `no Terraform or no AWS provider ${providerVersion} in ${mirror}`
    : false;

/** A fresh working directory with a CLI configuration that installs the provider from the mirror. */
export function terraformDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  linkPluginCache();
  writeFileSync(
    join(directory, "cli.tfrc"),
    // The provider is 700 MB: linked from a plugin cache whose entry is a link to the mirror,
    // so init neither copies it into every working directory nor writes to a shared cache.
    `plugin_cache_dir = "${pluginCache}"\nprovider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }\n}\n`,
  );
  return directory;
}

function linkPluginCache(): void {
  const entry = join(pluginCache, "registry.terraform.io/hashicorp/aws", providerVersion, "linux_amd64");
  if (existsSync(entry)) return;
  mkdirSync(dirname(entry), { recursive: true });
  try {
    symlinkSync(join(mirror, "registry.terraform.io/hashicorp/aws", providerVersion, "linux_amd64"), entry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** The terraform and provider blocks, with `services` sent to Moor's AWS endpoint. */
export function awsProvider(endpoint: string, services: string[]): string {
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${providerVersion}" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIDTEST"
  secret_key                  = "secret"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
${services.map((service) => `    ${service} = "${endpoint}"`).join("\n")}
  }
}`;
}

export async function terraform(directory: string, args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env, TF_CLI_CONFIG_FILE: join(directory, "cli.tfrc"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  const result = await run("terraform", [`-chdir=${directory}`, ...args, "-no-color"], { env, timeoutMs: 300_000 });
  return { code: result.code, stdout: `${result.stdout}${result.stderr}` };
}

/** Runs terraform and asserts it succeeded; returns its output. */
export async function applied(directory: string, args: string[]): Promise<string> {
  const result = await terraform(directory, args);
  assert.equal(result.code, 0, result.stdout);
  return result.stdout;
}
