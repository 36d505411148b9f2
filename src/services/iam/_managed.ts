// The AWS-managed policies the EKS, ECS and EFS guides attach. They exist in every account
// under `arn:aws:iam::aws:policy<path><name>`, cannot be changed or deleted, and can be
// attached. Their documents here are short summaries of what each grants (Moor does not
// evaluate them yet), not AWS's texts.

export interface ManagedPolicy {
  name: string;
  path: string;
  id: string;
  description: string;
  document: string;
}

const created = new Date("2019-12-03T00:00:00Z");

function allow(actions: string[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
}

const catalogue: ManagedPolicy[] = [
  { name: "AdministratorAccess", path: "/", description: "Provides full access to AWS services and resources.", document: allow(["*"]) },
  { name: "AmazonEKSClusterPolicy", path: "/", description: "Lets the EKS control plane manage the cluster's resources.", document: allow(["ec2:*NetworkInterface*", "ec2:Describe*", "elasticloadbalancing:*", "iam:CreateServiceLinkedRole", "kms:DescribeKey"]) },
  { name: "AmazonEKSServicePolicy", path: "/", description: "Lets EKS create and manage the resources it needs to run clusters.", document: allow(["ec2:*NetworkInterface*", "ec2:Describe*", "iam:GetRole", "route53:AssociateVPCWithHostedZone"]) },
  { name: "AmazonEKSVPCResourceController", path: "/", description: "Lets the VPC resource controller manage ENIs and IPs for worker nodes.", document: allow(["ec2:*NetworkInterface*", "ec2:Describe*"]) },
  { name: "AmazonEKSWorkerNodePolicy", path: "/", description: "Lets EKS worker nodes connect to EKS clusters.", document: allow(["ec2:Describe*", "eks:DescribeCluster", "eks-auth:AssumeRoleForPodIdentity"]) },
  { name: "AmazonEKSFargatePodExecutionRolePolicy", path: "/", description: "Lets Fargate pods pull images and run for an EKS cluster.", document: allow(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]) },
  { name: "AmazonEKS_CNI_Policy", path: "/", description: "Lets the VPC CNI plugin manage pod network interfaces.", document: allow(["ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:Describe*", "ec2:UnassignPrivateIpAddresses", "ec2:CreateTags"]) },
  { name: "AmazonEC2ContainerRegistryReadOnly", path: "/", description: "Provides read-only access to Amazon ECR repositories.", document: allow(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages", "ecr:BatchGetImage"]) },
  { name: "AmazonECSTaskExecutionRolePolicy", path: "/service-role/", description: "Lets ECS tasks pull images and write logs.", document: allow(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"]) },
  { name: "AmazonEFSCSIDriverPolicy", path: "/service-role/", description: "Lets the EFS CSI driver manage access points.", document: allow(["elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets", "elasticfilesystem:CreateAccessPoint", "elasticfilesystem:DeleteAccessPoint", "elasticfilesystem:TagResource", "ec2:DescribeAvailabilityZones"]) },
  { name: "AmazonElasticFileSystemClientReadWriteAccess", path: "/", description: "Provides read and write client access to EFS file systems.", document: allow(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:DescribeMountTargets"]) },
  { name: "AmazonElasticFileSystemClientReadOnlyAccess", path: "/", description: "Provides read-only client access to EFS file systems.", document: allow(["elasticfilesystem:ClientMount", "elasticfilesystem:DescribeMountTargets"]) },
  { name: "AmazonElasticFileSystemClientFullAccess", path: "/", description: "Provides root client access to EFS file systems.", document: allow(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite", "elasticfilesystem:DescribeMountTargets"]) },
  { name: "AmazonElasticFileSystemFullAccess", path: "/", description: "Provides full access to EFS.", document: allow(["elasticfilesystem:*", "ec2:DescribeSubnets", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces"]) },
  { name: "AmazonElasticFileSystemReadOnlyAccess", path: "/", description: "Provides read-only access to EFS.", document: allow(["elasticfilesystem:Describe*", "elasticfilesystem:ListTagsForResource", "ec2:DescribeSubnets"]) },
  { name: "AmazonECS_FullAccess", path: "/", description: "Provides full access to ECS.", document: allow(["ecs:*", "ec2:Describe*", "logs:*"]) },
  { name: "CloudWatchLogsFullAccess", path: "/", description: "Provides full access to CloudWatch Logs.", document: allow(["logs:*"]) },
  { name: "ElasticLoadBalancingFullAccess", path: "/", description: "Provides full access to Elastic Load Balancing.", document: allow(["elasticloadbalancing:*", "ec2:Describe*"]) },
  { name: "AmazonRDSFullAccess", path: "/", description: "Provides full access to RDS.", document: allow(["rds:*", "ec2:Describe*"]) },
  { name: "AmazonSSMManagedInstanceCore", path: "/", description: "Lets an instance use Systems Manager core functions.", document: allow(["ssm:UpdateInstanceInformation", "ssmmessages:*", "ec2messages:*"]) },
].map((policy, index) => ({ ...policy, id: `ANPAMOORMANAGED${String(index).padStart(6, "0")}` }));

export const managedPolicyDate = created;

export function managedPolicyArn(policy: ManagedPolicy): string {
  return `arn:aws:iam::aws:policy${policy.path}${policy.name}`;
}

const byArn = new Map(catalogue.map((policy) => [managedPolicyArn(policy), policy]));

export function managedPolicy(arn: string): ManagedPolicy | undefined {
  return byArn.get(arn);
}

export function managedPolicies(): readonly ManagedPolicy[] {
  return catalogue;
}
