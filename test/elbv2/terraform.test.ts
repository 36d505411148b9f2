// Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages aws_lb,
// aws_lb_target_group and aws_lb_listener against Moor's ELBv2 API: apply, a second plan with no
// changes, and destroy; the ALB it makes answers on its hostname. Skipped where the machine has
// no Terraform.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { aws } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { curl } from "../traffic-lb/_lb.js";
import { applied, awsProvider, terraform, terraformMissing, terraformOnMoor } from "../_terraform.js";

const missing = terraformMissing;
const fixture = terraformOnMoor("moor-terraform-elbv2-");

async function cli(args: string[]): Promise<string> {
  const result = await aws(fixture.moor, [...args, "--endpoint-url", fixture.moor.awsEndpoint]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

function configuration(vpcId: string, subnets: string[]): string {
  return `${awsProvider(fixture.moor.awsEndpoint, ["ec2", "elbv2", "sts"])}
resource "aws_lb" "web" {
  name               = "tf-alb"
  internal           = false
  load_balancer_type = "application"
  subnets            = ${JSON.stringify(subnets)}
  tags               = { Name = "tf-alb" }
}
resource "aws_lb_target_group" "web" {
  name        = "tf-tg"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = "${vpcId}"
  target_type = "ip"
  health_check {
    path                = "/index.php"
    matcher             = "200,302"
    interval            = 5
    timeout             = 2
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
output "dns_name" { value = aws_lb.web.dns_name }
`;
}

it("applies aws_lb, aws_lb_target_group and aws_lb_listener, re-plans with no changes, and destroys them", { skip: missing }, async () => {
  const vpcId = await cli(["ec2", "describe-vpcs", "--query", "Vpcs[0].VpcId", "--output", "text"]);
  const subnets = (await cli(["ec2", "describe-subnets", "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1", "--query", "Subnets[].SubnetId", "--output", "text"])).split(/\s+/);
  writeFileSync(join(fixture.directory, "main.tf"), configuration(vpcId, subnets));
  await applied(fixture.directory, ["init", "-input=false"]);
  await applied(fixture.directory, ["apply", "-auto-approve", "-input=false"]);
  const dnsName = (await applied(fixture.directory, ["output", "-raw", "dns_name"])).trim();
  assert.match(dnsName, /^tf-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  // The listener forwards to a group with no target yet: the ALB's 503.
  await waitFor("503 from the Terraform-made ALB", async () => (await curl(`http://${dnsName}/`)).status === 503);
  const plan = await terraform(fixture.directory, ["plan", "-detailed-exitcode", "-input=false"]);
  assert.equal(plan.code, 0, `a second plan shows changes:\n${plan.stdout}`);
  await applied(fixture.directory, ["destroy", "-auto-approve", "-input=false"]);
  assert.equal(await cli(["elbv2", "describe-load-balancers", "--query", "length(LoadBalancers)"]), "0");
  assert.equal(await cli(["elbv2", "describe-target-groups", "--query", "length(TargetGroups)"]), "0");
});
