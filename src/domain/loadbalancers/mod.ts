// Load balancers as the AWS Load Balancer Controller makes them, as rules without I/O: its
// Ingress annotations and their defaults, the names and DNS names of ALBs and NLBs, the order in
// which an ALB matches rules, success-code matchers, and the plan (listeners, rules, target
// groups with IP targets) for an Ingress of class alb or a LoadBalancer Service. The controller
// in src/controllers/loadbalancers feeds it objects; the proxy engine realizes its plans.

export { albController, healthCheck, ingressSettings, isAlbIngress, type HealthCheck, type IngressSettings, type ListenPort, type TargetType } from "./_annotations.js";
export { isSuccessCode, parseSuccessCodes, successCodePattern } from "./_codes.js";
export {
  applicationDnsName,
  ingressLoadBalancerName,
  loopbackAddress,
  loopbackSlot,
  loopbackSlotsMax,
  networkDnsName,
  serviceLoadBalancerName,
  type Scheme,
  type Sha256Hex,
  vpcAddress,
} from "./_names.js";
export {
  planIngress,
  planService,
  type Cluster,
  type EndpointsView,
  type IngressPlanInput,
  type IngressView,
  type Listener,
  type ListenerRule,
  type LoadBalancerPlan,
  type PlanResult,
  type ServiceView,
  type Target,
  type TargetGroup,
} from "./_plan.js";
export { hostPattern, matchRoute, pathPattern, type PathType, type RouteRule } from "./_rules.js";
