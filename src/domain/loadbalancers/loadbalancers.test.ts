import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  applicationDnsName,
  healthCheck,
  ingressLoadBalancerName,
  ingressSettings,
  isAlbIngress,
  isSuccessCode,
  loopbackAddress,
  loopbackSlot,
  matchRoute,
  parseSuccessCodes,
  pathPattern,
  planIngress,
  planService,
  type EndpointsView,
  type RouteRule,
  type ServiceView,
  vpcAddress,
} from "./mod.js";
import { embeddedVpc, ipToNumber } from "../network/mod.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const cluster = { name: "moor", region: "us-west-2", sha256 };

describe("load balancer annotations", () => {
  it("ingressSettings() defaults to an internal ALB with instance targets and one HTTP listener on 80", () => {
    assert.deepEqual(ingressSettings({}), { scheme: "internal", targetType: "instance", listenPorts: [{ protocol: "HTTP", port: 80 }] });
    assert.deepEqual(ingressSettings({ "alb.ingress.kubernetes.io/certificate-arn": "arn:x" }).listenPorts, [{ protocol: "HTTPS", port: 443 }]);
  });

  it("ingressSettings() reads scheme, target type and listen-ports, and names a bad value", () => {
    const settings = ingressSettings({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTP": 8080}]',
    });
    assert.deepEqual(settings, { scheme: "internet-facing", targetType: "ip", listenPorts: [{ protocol: "HTTP", port: 80 }, { protocol: "HTTP", port: 8080 }] });
    assert.throws(() => ingressSettings({ "alb.ingress.kubernetes.io/scheme": "public" }), /scheme" value "public": it is none of internal, internet-facing/);
    assert.throws(() => ingressSettings({ "alb.ingress.kubernetes.io/listen-ports": '[{"TCP": 80}]' }), /listen-ports/);
  });

  it("healthCheck() applies the LBC defaults, and a Service's annotation wins over the Ingress's", () => {
    assert.deepEqual(healthCheck({}), {
      protocol: "HTTP", path: "/", port: "traffic-port", intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, successCodes: [200],
    });
    const check = healthCheck(
      { "alb.ingress.kubernetes.io/healthcheck-path": "/index.php", "alb.ingress.kubernetes.io/healthcheck-interval-seconds": "5", "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": "2" },
      { "alb.ingress.kubernetes.io/healthcheck-path": "/healthz", "alb.ingress.kubernetes.io/healthcheck-port": "8080" },
    );
    assert.equal(check.path, "/healthz");
    assert.equal(check.port, 8080);
    assert.equal(check.intervalSeconds, 5);
    assert.throws(() => healthCheck({ "alb.ingress.kubernetes.io/healthcheck-interval-seconds": "4" }), /within 5-300/);
    assert.throws(() => healthCheck({ "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": "15" }), /shorter than the interval/);
  });

  it("isAlbIngress() takes the class field's IngressClass controller, or the legacy annotation", () => {
    const classes = new Map([["alb", "ingress.k8s.aws/alb"], ["nginx", "k8s.io/ingress-nginx"]]);
    assert.equal(isAlbIngress({ spec: { ingressClassName: "alb" }, metadata: {} }, classes), true);
    assert.equal(isAlbIngress({ spec: { ingressClassName: "nginx" }, metadata: {} }, classes), false);
    assert.equal(isAlbIngress({ spec: { ingressClassName: "missing" }, metadata: {} }, classes), false);
    assert.equal(isAlbIngress({ metadata: { annotations: { "kubernetes.io/ingress.class": "alb" } } }, classes), true);
    assert.equal(isAlbIngress({ metadata: {} }, classes), false);
  });
});

describe("success codes", () => {
  it("parseSuccessCodes() takes lists and ranges within 200-499", () => {
    assert.deepEqual(parseSuccessCodes("200,201,302"), [200, 201, 302]);
    assert.equal(parseSuccessCodes("200-299").length, 100);
    assert.deepEqual(parseSuccessCodes("302, 200-202"), [200, 201, 202, 302]);
    for (const bad of ["100", "200-199", "500", "2xx", ""]) assert.throws(() => parseSuccessCodes(bad), /within 200-499/, bad);
  });

  it("isSuccessCode() accepts exactly the listed codes", () => {
    const codes = parseSuccessCodes("200,201,302");
    assert.deepEqual([200, 201, 204, 302, 404].map((code) => isSuccessCode(codes, code)), [true, true, false, true, false]);
  });
});

describe("names", () => {
  it("ingressLoadBalancerName() cuts namespace and name to 8 alphanumerics and hashes cluster, namespace/name and scheme", () => {
    const name = ingressLoadBalancerName(sha256, "moor", "default", "wordpress", "internet-facing");
    assert.equal(name, `k8s-default-wordpres-${sha256("moordefault/wordpressinternet-facing").slice(0, 10)}`);
    assert.notEqual(ingressLoadBalancerName(sha256, "moor", "default", "wordpress", "internal"), name);
    assert.match(ingressLoadBalancerName(sha256, "moor", "my-team-ns", "web.app", "internal"), /^k8s-myteamns-webapp-[0-9a-f]{10}$/);
  });

  it("applicationDnsName() adds internal- for internal ALBs and a stable decimal", () => {
    const outside = applicationDnsName(sha256, "k8s-default-web-0123456789", "internet-facing", "us-west-2");
    assert.match(outside, /^k8s-default-web-0123456789-\d{10}\.us-west-2\.elb\.amazonaws\.com$/);
    assert.equal(applicationDnsName(sha256, "k8s-default-web-0123456789", "internet-facing", "us-west-2"), outside);
    assert.match(applicationDnsName(sha256, "k8s-default-web-0123456789", "internal", "us-west-2"), /^internal-k8s-default-web-/);
  });

  it("loopbackAddress() gives each data directory its own 127.a.b block", () => {
    assert.equal(loopbackAddress("0000beef", 1), "127.64.0.1");
    assert.equal(loopbackAddress("ff07beef", 9), "127.191.7.9");
  });

  it("vpcAddress() gives a load balancer's slot an address of the VPC outside every subnet, loopbackSlot() reads the slot back", () => {
    assert.equal(vpcAddress(loopbackSlot(loopbackAddress("ff07beef", 9))), "10.42.255.9");
    const value = ipToNumber(vpcAddress(254));
    for (const subnet of embeddedVpc("us-east-1").subnets) assert.ok(value > subnet.lastHost + 1 || value < subnet.firstHost - 4, subnet.cidrBlock);
  });
});

describe("rule matching", () => {
  const rules: RouteRule<string>[] = [
    { host: "api.example.com", path: "/v1", pathType: "Prefix", target: "api" },
    { path: "/exact", pathType: "Exact", target: "exact" },
    { path: "/static/*", pathType: "ImplementationSpecific", target: "static" },
    { host: "*.example.com", path: "/", pathType: "Prefix", target: "wildcard" },
    { path: "/", pathType: "Prefix", target: "any" },
  ];
  const route = (host: string, path: string) => matchRoute(rules, host, path)?.target;

  it("matchRoute() takes the first matching rule in the Ingress's order", () => {
    assert.equal(route("api.example.com", "/v1/users"), "api");
    assert.equal(route("API.example.com:80", "/v1"), "api");
    assert.equal(route("api.example.com", "/v10"), "wildcard");
    assert.equal(route("other.test", "/exact"), "exact");
    assert.equal(route("other.test", "/exact/"), "any");
    assert.equal(route("other.test", "/static/a/b.css"), "static");
    assert.equal(route("www.example.com", "/x"), "wildcard");
    assert.equal(route("example.com", "/x"), "any");
  });

  it("pathPattern() gives Prefix whole-segment meaning and ImplementationSpecific ALB globs", () => {
    assert.equal(pathPattern("/foo/", "Prefix"), "^/foo(/.*)?$");
    assert.equal(pathPattern("", "ImplementationSpecific"), "^/.*$");
    assert.equal(pathPattern("/a.b", "Exact"), "^/a\\.b$");
    assert.throws(() => pathPattern("/x y", "Exact"), /not an absolute path/);
  });
});

describe("plans", () => {
  const service: ServiceView = { name: "web", namespace: "default", uid: "u1", type: "ClusterIP", annotations: {}, ports: [{ name: "http", port: 80 }] };
  const endpoints: EndpointsView = { subsets: [{ addresses: [{ ip: "10.42.0.9" }, { ip: "10.42.0.5" }], ports: [{ name: "http", port: 8080 }] }] };
  const ingress = (spec: any, annotations: Record<string, string> = { "alb.ingress.kubernetes.io/target-type": "ip" }) => ({
    cluster,
    ingress: { namespace: "default", name: "web", annotations, spec },
    services: new Map([["web", service]]),
    endpoints: new Map([["web", endpoints]]),
  });
  const path = (backend: any) => ({ rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: backend } }] } }] });

  it("planIngress() makes one target group per backend with the ready addresses on the target port", () => {
    const result = planIngress(ingress(path({ name: "web", port: { name: "http" } })));
    assert.ok("plan" in result);
    assert.equal(result.plan.type, "application");
    assert.match(result.plan.dnsName, /^internal-k8s-default-web-[0-9a-f]{10}-\d{10}\.us-west-2\.elb\.amazonaws\.com$/);
    assert.deepEqual(result.plan.targetGroups[0]!.targets, [{ ip: "10.42.0.5", port: 8080 }, { ip: "10.42.0.9", port: 8080 }]);
    assert.deepEqual(result.plan.listeners.map((listener) => [listener.port, listener.rules.length, listener.defaultTargetGroup]), [[80, 1, undefined]]);
  });

  it("planIngress() fails with the LBC's texts for a missing Service, a missing port, and instance targets on a ClusterIP Service", () => {
    assert.deepEqual(planIngress(ingress(path({ name: "nope", port: { number: 80 } }))), { failure: 'Failed build model due to ingress: default/web: Service "nope" not found' });
    assert.deepEqual(planIngress(ingress(path({ name: "web", port: { number: 81 } }))), { failure: "Failed build model due to ingress: default/web: unable to find port 81 on service default/web" });
    const instance = planIngress(ingress(path({ name: "web", port: { number: 80 } }), {}));
    assert.ok("failure" in instance && instance.failure.endsWith("When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer'"));
    const badCodes = planIngress(ingress(path({ name: "web", port: { number: 80 } }), { "alb.ingress.kubernetes.io/target-type": "ip", "alb.ingress.kubernetes.io/success-codes": "600" }));
    assert.ok("failure" in badCodes && /success codes "600"/.test(badCodes.failure));
  });

  it("planService() gives an NLB one TCP listener per port with IP targets", () => {
    const result = planService(cluster, { ...service, type: "LoadBalancer" }, endpoints);
    assert.ok("plan" in result);
    assert.match(result.plan.dnsName, /^k8s-default-web-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-west-2\.amazonaws\.com$/);
    assert.deepEqual(result.plan.listeners, [{ protocol: "TCP", port: 80, rules: [], defaultTargetGroup: "default-web-80" }]);
    assert.equal(result.plan.targetGroups[0]!.targets.length, 2);
  });
});
