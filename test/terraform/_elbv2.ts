// ELBv2 (was test/elbv2/terraform.test.ts): aws_lb (application, in the embedded VPC's private
// subnets), aws_lb_target_group (ip targets, with a health check) and aws_lb_listener
// forwarding to it. The ALB answers on its hostname with 503 while the group has no target. No
// update. After destroy no load balancer or target group is left.

import assert from "node:assert/strict";
import { waitFor } from "../kubectl.js";
import { curl } from "../traffic-lb/_lb.js";
import { cli, output, type StackPart } from "./_part.js";

function hcl(): string {
  return `
resource "aws_lb" "web" {
  name               = "tf-alb"
  internal           = false
  load_balancer_type = "application"
  subnets            = data.aws_subnets.private.ids
  tags               = { Name = "tf-alb" }
}
resource "aws_lb_target_group" "web" {
  name        = "tf-tg"
  port        = 80
  protocol    = "HTTP"
  vpc_id      = data.aws_vpc.embedded.id
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
output "elbv2_dns_name" { value = aws_lb.web.dns_name }
`;
}

export const elbv2Part: StackPart = {
  name: "ELBv2",
  services: ["ec2", "elbv2", "sts"],
  hcl,
  added: 3,
  changed: [],
  async afterApply(context) {
    const dnsName = output(context, "elbv2_dns_name");
    assert.match(dnsName, /^tf-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    // The listener forwards to a group with no target yet: the ALB's 503.
    await waitFor("503 from the Terraform-made ALB", async () => (await curl(`http://${dnsName}/`)).status === 503);
  },
  async afterDestroy({ moor }) {
    assert.equal(await cli(moor, ["elbv2", "describe-load-balancers", "--query", "length(LoadBalancers)"]), "0");
    assert.equal(await cli(moor, ["elbv2", "describe-target-groups", "--query", "length(TargetGroups)"]), "0");
  },
};
