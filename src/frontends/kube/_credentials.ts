// The API's TLS and bearer-token credentials, made once per data directory with the openssl CLI
// (Node cannot sign X.509 certificates) and reused across restarts, and the kubeconfig that
// points kubectl at them.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface KubeCredentials {
  caCert: string;
  serverCert: string;
  serverKey: string;
  token: string;
  /** Accepts other bearer tokens (those `aws eks get-token` makes, checked by the STS service). */
  verifyToken?: (token: string) => boolean;
}

const validityDays = "3650";

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    throw new Error(`Cannot make the Kubernetes API's certificates: openssl ${args[0]} failed: ${detail}`);
  }
}

/** Generates the CA, the server certificate (127.0.0.1, localhost) and the token when missing. */
export function ensureCredentials(directory: string): KubeCredentials {
  const files = {
    caKey: join(directory, "ca.key"),
    caCert: join(directory, "ca.crt"),
    serverKey: join(directory, "server.key"),
    serverCert: join(directory, "server.crt"),
    token: join(directory, "token"),
  };
  if (!Object.values(files).every((file) => existsSync(file))) generate(directory);
  return {
    caCert: readFileSync(files.caCert, "utf8"),
    serverCert: readFileSync(files.serverCert, "utf8"),
    serverKey: readFileSync(files.serverKey, "utf8"),
    token: readFileSync(files.token, "utf8").trim(),
  };
}

function generate(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  // Built in a scratch folder and moved in whole, so a crash never leaves half a set behind.
  const scratch = join(directory, `.new-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  const ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
  openssl(["genpkey", ...ec, "-out", "ca.key"], scratch);
  openssl(
    ["req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", validityDays, "-subj", "/CN=moor-ca",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature", "-out", "ca.crt"],
    scratch,
  );
  openssl(["genpkey", ...ec, "-out", "server.key"], scratch);
  openssl(["req", "-new", "-key", "server.key", "-subj", "/CN=moor-apiserver", "-out", "server.csr"], scratch);
  writeFileSync(
    join(scratch, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n",
  );
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", validityDays, "-sha256",
      "-extfile", "server.ext", "-out", "server.crt"],
    scratch,
  );
  writeFileSync(join(scratch, "token"), `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  for (const name of ["ca.key", "ca.crt", "server.key", "server.crt", "token"]) renameSync(join(scratch, name), join(directory, name));
  rmSync(scratch, { recursive: true, force: true });
}

/** Writes the kubeconfig (cluster, user and context all named `moor`). */
export function writeKubeconfig(path: string, options: { server: string; caCert: string; token: string }): void {
  const ca = Buffer.from(options.caCert).toString("base64");
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: moor",
    "  cluster:",
    `    server: ${options.server}`,
    `    certificate-authority-data: ${ca}`,
    "users:",
    "- name: moor",
    "  user:",
    `    token: ${options.token}`,
    "contexts:",
    "- name: moor",
    "  context:",
    "    cluster: moor",
    "    user: moor",
    "    namespace: default",
    "current-context: moor",
    "preferences: {}",
    "",
  ].join("\n");
  writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
