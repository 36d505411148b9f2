// Liveness, readiness and startup probes (exec, httpGet, tcpSocket) for one running container,
// with the kubelet's timing fields and thresholds. Network probes run from inside the pod's
// network namespace (pod addresses exist nowhere else) through moor-shim's connect helper.

import type { Container, Probe } from "../../domain/kube/mod.js";
import { spawn } from "node:child_process";

export interface ProbeTarget {
  /** Runs a command in the container; resolves with its exit code and output. */
  exec(command: string[], timeoutMs: number): Promise<{ code: number; output: string }>;
  shim: string;
  networkNamespacePath: string;
  podIp: string;
  ports: { name?: string; containerPort: number }[];
}

export interface ProbeEvents {
  ready(ready: boolean): void;
  started(): void;
  /** The container failed its liveness or startup probe and must be restarted. */
  failed(kind: "Liveness" | "Startup", message: string): void;
  unhealthy(message: string): void;
}

type Kind = "Liveness" | "Readiness" | "Startup";

export class ContainerProbes {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly container: Container,
    private readonly target: ProbeTarget,
    private readonly events: ProbeEvents,
  ) {}

  start(alreadyStarted: boolean): void {
    const { startupProbe, readinessProbe } = this.container;
    if (startupProbe && !alreadyStarted) {
      this.loop("Startup", startupProbe, () => {
        this.events.started();
        this.afterStartup();
      });
      return;
    }
    if (!alreadyStarted) this.events.started();
    if (!readinessProbe) this.events.ready(true);
    this.afterStartup();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private afterStartup(): void {
    if (this.container.readinessProbe) this.loop("Readiness", this.container.readinessProbe);
    else this.events.ready(true);
    if (this.container.livenessProbe) this.loop("Liveness", this.container.livenessProbe);
  }

  /** Runs a probe every period; a startup probe ends at its first success. */
  private loop(kind: Kind, probe: Probe, onFirstSuccess?: () => void): void {
    const periodMs = (probe.periodSeconds ?? 10) * 1000;
    const successThreshold = kind === "Readiness" ? probe.successThreshold ?? 1 : 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    let successes = 0;
    let failures = 0;
    const tick = async () => {
      if (this.stopped) return;
      const result = await this.run(probe).catch((error: Error) => ({ ok: false, output: error.message }));
      if (this.stopped) return;
      if (result.ok) {
        failures = 0;
        successes++;
        if (successes >= successThreshold) {
          if (kind === "Readiness") this.events.ready(true);
          if (onFirstSuccess) return onFirstSuccess();
        }
      } else {
        successes = 0;
        failures++;
        this.events.unhealthy(`${kind} probe failed: ${result.output}`.trim());
        if (failures >= failureThreshold) {
          if (kind === "Readiness") this.events.ready(false);
          else return this.events.failed(kind, result.output);
        }
      }
      this.schedule(tick, periodMs);
    };
    this.schedule(tick, (probe.initialDelaySeconds ?? 0) * 1000);
  }

  private schedule(fn: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private async run(probe: Probe): Promise<{ ok: boolean; output: string }> {
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    if (probe.exec) {
      const result = await this.target.exec(probe.exec.command ?? [], timeoutMs);
      return { ok: result.code === 0, output: result.output.trim() };
    }
    if (probe.tcpSocket) {
      const port = this.port(probe.tcpSocket.port);
      const result = await this.connect(probe.tcpSocket.host || this.target.podIp, port, timeoutMs, undefined);
      return { ok: result.code === 0, output: result.code === 0 ? "" : `dial tcp ${this.target.podIp}:${port}: ${result.stderr.replace(/^moor-shim: connect: /, "").trim()}` };
    }
    if (probe.httpGet) return this.httpGet(probe.httpGet, timeoutMs);
    return { ok: false, output: "probe has no handler" };
  }

  private async httpGet(get: NonNullable<Probe["httpGet"]>, timeoutMs: number): Promise<{ ok: boolean; output: string }> {
    const port = this.port(get.port);
    const host = get.host || this.target.podIp;
    const path = get.path || "/";
    const headers = (get.httpHeaders ?? []).map((header) => `${header.name}: ${header.value}\r\n`).join("");
    const request = `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n${headers}\r\n`;
    const result = await this.connect(host, port, timeoutMs, request);
    const url = `http://${host}:${port}${path}`;
    if (result.code !== 0) return { ok: false, output: `Get "${url}": dial tcp ${host}:${port}: ${result.stderr.replace(/^moor-shim: connect: /, "").trim()}` };
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(result.stdout)?.[1] ?? 0);
    if (status >= 200 && status < 400) return { ok: true, output: "" };
    return { ok: false, output: status ? `HTTP probe failed with statuscode: ${status}` : `Get "${url}": malformed HTTP response` };
  }

  private port(port: number | string): number {
    if (typeof port === "number" || /^\d+$/.test(port)) return Number(port);
    return this.target.ports.find((entry) => entry.name === port)?.containerPort ?? 0;
  }

  private connect(host: string, port: number, timeoutMs: number, request: string | undefined) {
    const args = ["connect", this.target.networkNamespacePath, host, String(port), String(timeoutMs), ...(request ? ["relay"] : [])];
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(this.target.shim, args, { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 500);
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        if (stdout.length < 4096) stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("close", (code) => {
        clearTimeout(timer);
        child.stdin.destroy();
        resolve({ code: request && stdout ? 0 : code ?? 1, stdout, stderr: stderr || (code === null ? "i/o timeout" : "") });
      });
      child.on("error", () => resolve({ code: 1, stdout, stderr: "cannot run moor-shim" }));
      child.stdin.on("error", () => {});
      // The request's stdin stays open until the shim exits (the server closes, as asked, or the
      // timer kills it): its end would half-close the socket, which nginx takes for a client that
      // left (499) while PHP-FPM is still answering, as kubelet's client never does.
      if (request) child.stdin.write(request);
      else child.stdin.end();
    });
  }
}
