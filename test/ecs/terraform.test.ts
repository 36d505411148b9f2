// Issue 13: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages the
// guide's ECS stack against Moor: aws_ecs_cluster, aws_ecs_task_definition with an
// efs_volume_configuration (access point, transit encryption, IAM) on a file system with mount
// targets, and aws_ecs_service on Fargate waiting for a steady state, its tasks registered in an
// ALB's target group through load_balancer; apply, a second plan with no changes, destroy.
// Skipped where the machine has no Terraform.

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { applied as appliedTerraform, awsProvider, terraform as runTerraform, terraformDirectory, terraformMissing } from "../_terraform.js";
import { ecsClient, privateSubnets } from "./_ecs.js";

const missing = terraformMissing;
let moor: MoorUnderTest;
let ecs: ECSClient;
let directory = "";
before(async () => {
  if (missing) return;
  moor = await startMoor();
  ecs = ecsClient(moor);
  directory = terraformDirectory("moor-terraform-ecs-");
});
after(async () => {
  ecs?.destroy();
  await moor?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function configuration(): string {
  return `${awsProvider(moor.awsEndpoint, ["ec2", "ecs", "efs", "elbv2", "sts"])}
resource "aws_efs_file_system" "web" {
  creation_token = "tf-ecs-web"
  encrypted      = true
}
resource "aws_efs_mount_target" "web" {
  for_each       = toset(${JSON.stringify(privateSubnets)})
  file_system_id = aws_efs_file_system.web.id
  subnet_id      = each.value
}
resource "aws_efs_access_point" "web" {
  file_system_id = aws_efs_file_system.web.id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/web"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "755"
    }
  }
}
resource "aws_lb" "web" {
  name               = "tf-ecs-alb"
  load_balancer_type = "application"
  subnets            = ${JSON.stringify(privateSubnets)}
}
resource "aws_lb_target_group" "web" {
  name                 = "tf-ecs-tg"
  port                 = 80
  protocol             = "HTTP"
  vpc_id               = "vpc-042a0000000000001"
  target_type          = "ip"
  deregistration_delay = 1
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
resource "aws_ecs_cluster" "demo" {
  name = "tf-demo"
  tags = { team = "storage" }
}
resource "aws_ecs_task_definition" "web" {
  family                   = "tf-web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  task_role_arn            = "arn:aws:iam::000000000000:role/ecsTaskRole"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "busybox"
    essential    = true
    command      = ["sh", "-c", "exec httpd -f -p 80 -h /www"]
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
    mountPoints  = [{ sourceVolume = "web", containerPath = "/www", readOnly = false }]
  }])
  volume {
    name = "web"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.web.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.web.id
        iam             = "ENABLED"
      }
    }
  }
}
resource "aws_ecs_service" "web" {
  name                  = "web"
  cluster               = aws_ecs_cluster.demo.id
  task_definition       = aws_ecs_task_definition.web.arn
  desired_count         = 2
  launch_type           = "FARGATE"
  wait_for_steady_state = true
  network_configuration {
    subnets = ${JSON.stringify(privateSubnets.slice(0, 2))}
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 80
  }
  depends_on = [aws_efs_mount_target.web, aws_lb_listener.http]
}
`;
}

const terraform = (args: string[]) => runTerraform(directory, args);
const applied = (args: string[]) => appliedTerraform(directory, args);

it("Terraform applies, re-plans with no changes and destroys an ECS cluster, a task definition with an EFS volume and a Fargate service", { skip: missing && "no Terraform here" }, async () => {
  writeFileSync(join(directory, "main.tf"), configuration());
  await applied(["init", "-input=false"]);
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 11 added, 0 changed, 0 destroyed/);
  const service = (await ecs.send(new DescribeServicesCommand({ cluster: "tf-demo", services: ["web"] }))).services![0]!;
  assert.deepEqual([service.runningCount, service.desiredCount, service.deployments?.length], [2, 2, 1]);
  assert.deepEqual(service.loadBalancers?.map((entry) => [entry.containerName, entry.containerPort]), [["web", 80]]);
  const elb = new ElasticLoadBalancingV2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "x" } });
  const targets = await waitFor("the 2 tasks registered", async () => {
    const found = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: service.loadBalancers![0]!.targetGroupArn! }))).TargetHealthDescriptions ?? [];
    return found.length === 2 && found;
  });
  elb.destroy();
  assert.ok(targets.every((target) => target.Target?.Port === 80));
  const plan = await terraform(["plan", "-detailed-exitcode", "-input=false"]);
  assert.equal(plan.code, 0, `no changes after apply:\n${plan.stdout}`);
  assert.match(await applied(["destroy", "-auto-approve", "-input=false"]), /Destroy complete! Resources: 11 destroyed/);
  const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ["tf-demo"] }));
  assert.deepEqual(clusters.failures?.map((failure) => failure.reason), ["MISSING"]);
});
