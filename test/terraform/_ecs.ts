// ECS (was test/ecs/terraform.test.ts): the guide's stack: aws_ecs_cluster,
// aws_ecs_task_definition with an efs_volume_configuration (access point, transit encryption,
// IAM) on a file system with a mount target in each private subnet, and aws_ecs_service on
// Fargate waiting for a steady state (2 tasks running, one deployment). No update. After
// destroy the cluster is MISSING.
// A `load_balancer` block on the service (the `ecsmeta` branch) goes in aws_ecs_service.web
// below; the ELBv2 part's aws_lb_target_group.web (target_type "ip", port 80) can be its target.

import assert from "node:assert/strict";
import { DescribeClustersCommand, DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import type { MoorUnderTest } from "../harness.js";
import { ecsClient, privateSubnets } from "../ecs/_ecs.js";
import type { StackPart } from "./_part.js";

function hcl(): string {
  return `
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
  depends_on = [aws_efs_mount_target.web]
}
`;
}

async function withEcs<T>(moor: MoorUnderTest, use: (ecs: ECSClient) => Promise<T>): Promise<T> {
  const ecs = ecsClient(moor);
  try {
    return await use(ecs);
  } finally {
    ecs.destroy();
  }
}

export const ecsPart: StackPart = {
  name: "ECS",
  services: ["ec2", "ecs", "efs", "sts"],
  hcl,
  added: 3 + privateSubnets.length + 2,
  changed: [],
  async afterApply({ moor }) {
    const service = await withEcs(moor, async (ecs) => (await ecs.send(new DescribeServicesCommand({ cluster: "tf-demo", services: ["web"] }))).services![0]!);
    assert.deepEqual([service.runningCount, service.desiredCount, service.deployments?.length], [2, 2, 1]);
  },
  async afterDestroy({ moor }) {
    const clusters = await withEcs(moor, (ecs) => ecs.send(new DescribeClustersCommand({ clusters: ["tf-demo"] })));
    assert.deepEqual(clusters.failures?.map((failure) => failure.reason), ["MISSING"]);
  },
};
