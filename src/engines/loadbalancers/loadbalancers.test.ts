import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderConfig, renderStructure, serverSettings, type ProxiedLoadBalancer } from "./_config.js";
import { withBlock, writeHostsBlock } from "./_hosts.js";
import { admitCommands, isChecked } from "./_runtime.js";

const check = { protocol: "HTTP" as const, path: "/index.php", port: "traffic-port" as const, intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 3, successCodes: [200, 201, 302] };
const balancer: ProxiedLoadBalancer = {
  name: "k8s-default-web-0123456789",
  dnsName: "k8s-default-web-0123456789-1234567890.us-west-2.elb.amazonaws.com",
  type: "application",
  scheme: "internet-facing",
  address: "127.70.1.1",
  vpcAddress: "10.42.255.1",
  listeners: [{ protocol: "HTTP", port: 80, rules: [{ host: "a.example.com", hostPattern: "^a\\.example\\.com$", path: "/", pathType: "Prefix", pathPattern: "^/.*$", targetGroup: "default-web-80" }] }],
  targetGroups: [{ id: "default-web-80", protocol: "HTTP", targets: [{ ip: "10.42.0.5", port: 8080 }, { ip: "10.42.0.6", port: 8080 }], healthCheck: check }],
};
const context = { hostNamespace: "moor-host-0000beef", adminSocket: "/run/a.sock", stateFile: "/run/s", errorFile503: "/run/503.http", isNew: (_backend: string, server: string) => server.includes("0-6") };

describe("proxy configuration", () => {
  it("renderConfig() binds the load balancer's loopback address and routes each rule in order, with a fixed 404 otherwise", () => {
    const text = renderConfig([balancer], context);
    assert.match(text, /frontend k8s-default-web-0123456789\.80\n  mode http\n  bind 127\.70\.1\.1:80 namespace moor-host-0000beef\n  bind 10\.42\.255\.1:80\n  use_backend k8s-default-web-0123456789\.default-web-80 if \{ req\.hdr\(host\),field\(1,:\),lower -m reg '\^a\\\.example\\\.com\$' \} \{ path -m reg '\^\/\.\*\$' \}\n  default_backend k8s-default-web-0123456789\.fixed-404\n/);
    assert.match(text, /backend k8s-default-web-0123456789\.fixed-404\n  mode http\n  http-request return status 404\n/);
  });

  it("renderConfig() answers a listener's fixed response from a backend of its own, and needs no fixed 404 then", () => {
    const fixed: ProxiedLoadBalancer = { ...balancer, listeners: [{ protocol: "HTTP", port: 8080, rules: [], fixedResponse: { statusCode: 418, contentType: "text/plain", body: "tea'pot" } }], targetGroups: [] };
    const text = renderConfig([fixed], context);
    assert.match(text, /default_backend k8s-default-web-0123456789\.fixed-8080\n/);
    assert.match(text, /backend k8s-default-web-0123456789\.fixed-8080\n  mode http\n  http-request return status 418 content-type 'text\/plain' string 'teapot'\n/);
    assert.doesNotMatch(text, /fixed-404/);
  });

  it("renderConfig() gives each target group the ALB's health check, with every setting on the server's own line", () => {
    const text = renderConfig([balancer], context);
    assert.match(text, /option httpchk GET \/index\.php\n  http-check expect rstatus '\^\(200\|201\|302\)\$'\n  timeout check 2s\n/);
    assert.doesNotMatch(text, /default-server/, "a server added at run time would not inherit it");
    assert.match(text, /server ip-10-42-0-5-8080 10\.42\.0\.5:8080 check inter 5s fastinter 250ms downinter 250ms rise 2 fall 3\n/);
    assert.match(text, /server ip-10-42-0-6-8080 10\.42\.0\.6:8080 check inter 5s fastinter 250ms downinter 250ms rise 2 fall 3 disabled\n/, "a new target waits in maintenance");
  });

  it("renderStructure() leaves the servers out, so a change of targets alone needs no reload", () => {
    const fewer = { ...balancer, targetGroups: [{ ...balancer.targetGroups[0]!, targets: [] }] };
    assert.equal(renderStructure([balancer], context), renderStructure([fewer], context));
    assert.doesNotMatch(renderStructure([balancer], context), /server ip-/);
    const slower = { ...balancer, targetGroups: [{ ...balancer.targetGroups[0]!, healthCheck: { ...check, path: "/health" } }] };
    assert.notEqual(renderStructure([balancer], context), renderStructure([slower], context));
  });

  it("serverSettings() gives an explicit health check port and HTTPS checks", () => {
    const group = { ...balancer.targetGroups[0]!, healthCheck: { ...check, port: 9000, protocol: "HTTPS" as const } };
    assert.equal(serverSettings(group, { ip: "10.42.0.7", port: 443 }), "10.42.0.7:443 check port 9000 check-ssl verify none inter 5s fastinter 250ms downinter 250ms rise 2 fall 3");
  });
});

describe("hosts block", () => {
  const entries = [{ address: "127.70.1.1", hostname: "lb-1.elb.amazonaws.com" }];

  it("serverSettings() leaves a target of a group with checks disabled unchecked, and admitting it puts it in rotation at once", () => {
    const group = { ...balancer.targetGroups[0]!, healthCheckEnabled: false };
    const settings = serverSettings(group, { ip: "10.42.16.4", port: 3306 });
    assert.equal(settings, "10.42.16.4:3306");
    assert.equal(isChecked(settings), false);
    assert.equal(isChecked(serverSettings(balancer.targetGroups[0]!, { ip: "10.42.0.7", port: 80 })), true);
    assert.deepEqual(admitCommands("db.server", "ip-10-42-16-4-3306", false), ["set server db.server/ip-10-42-16-4-3306 state ready"]);
  });

  it("withBlock() appends a marked block and replaces only its own on the next write", () => {
    const first = withBlock("127.0.0.1 localhost\n", "aaaa", entries);
    assert.equal(first, "127.0.0.1 localhost\n# BEGIN moor aaaa\n127.70.1.1 lb-1.elb.amazonaws.com\n# END moor aaaa\n");
    const both = withBlock(first, "bbbb", [{ address: "127.71.0.1", hostname: "lb-2" }]);
    const replaced = withBlock(both, "aaaa", [{ address: "127.70.1.2", hostname: "lb-3" }]);
    assert.equal(replaced, "127.0.0.1 localhost\n# BEGIN moor bbbb\n127.71.0.1 lb-2\n# END moor bbbb\n# BEGIN moor aaaa\n127.70.1.2 lb-3\n# END moor aaaa\n");
  });

  it("withBlock() with no entries removes the block and leaves other Moors' blocks", () => {
    const both = withBlock(withBlock("127.0.0.1 localhost\n", "aaaa", entries), "bbbb", entries);
    assert.equal(withBlock(both, "aaaa", []), "127.0.0.1 localhost\n# BEGIN moor bbbb\n127.70.1.1 lb-1.elb.amazonaws.com\n# END moor bbbb\n");
  });

  it("withBlock() puts a block placed first above every line, so the Moor that wrote last answers for a name all claim", () => {
    const registry = (address: string) => [{ address, hostname: "000000000000.dkr.ecr.us-east-1.amazonaws.com" }];
    const one = withBlock("127.0.0.1 localhost\n", "aaaa-ecr", registry("127.1.0.1"), "first");
    const two = withBlock(one, "bbbb-ecr", registry("127.2.0.1"), "first");
    assert.equal(two, "# BEGIN moor bbbb-ecr\n127.2.0.1 000000000000.dkr.ecr.us-east-1.amazonaws.com\n# END moor bbbb-ecr\n# BEGIN moor aaaa-ecr\n127.1.0.1 000000000000.dkr.ecr.us-east-1.amazonaws.com\n# END moor aaaa-ecr\n127.0.0.1 localhost\n");
    assert.equal(withBlock(two, "bbbb-ecr", [], "first"), one);
  });
});

describe("hosts file writer", () => {
  it("writeHostsBlock() keeps two markers' blocks side by side, replaces and removes each alone, and leaves the other lines and the mode as they were", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moor-hosts-"));
    try {
      const file = join(dir, "hosts");
      const others = "127.0.0.1 localhost\n# a comment\n10.0.0.9 build-box\n";
      writeFileSync(file, others);
      chmodSync(file, 0o644);
      await writeHostsBlock(file, "d1", [{ address: "127.70.1.1", hostname: "lb-1" }]);
      await writeHostsBlock(file, "d1-ecr", [{ address: "127.200.3.1", hostname: "123456789012.dkr.ecr.us-west-2.amazonaws.com" }]);
      const ecrBlock = "# BEGIN moor d1-ecr\n127.200.3.1 123456789012.dkr.ecr.us-west-2.amazonaws.com\n# END moor d1-ecr\n";
      assert.equal(readFileSync(file, "utf8"), `${others}# BEGIN moor d1\n127.70.1.1 lb-1\n# END moor d1\n${ecrBlock}`);
      await writeHostsBlock(file, "d1", [{ address: "127.70.1.2", hostname: "lb-2" }]);
      assert.equal(readFileSync(file, "utf8"), `${others}${ecrBlock}# BEGIN moor d1\n127.70.1.2 lb-2\n# END moor d1\n`);
      await writeHostsBlock(file, "d1", []);
      assert.equal(readFileSync(file, "utf8"), `${others}${ecrBlock}`);
      await writeHostsBlock(file, "d1", [{ address: "127.70.1.3", hostname: "lb-3" }]);
      await writeHostsBlock(file, "d1-ecr", []);
      assert.equal(readFileSync(file, "utf8"), `${others}# BEGIN moor d1\n127.70.1.3 lb-3\n# END moor d1\n`);
      assert.equal(statSync(file).mode & 0o777, 0o644);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
