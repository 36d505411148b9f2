#!/usr/bin/env bash
# nginx on ECS and EKS serving one index.html from EFS, against a running Moor: the guide's stack
# (an EFS file system and access point, an EC2 instance whose user data mounts it with the
# guide's NFS line and writes index.html, the file-system policy allowing only the task role
# through the access point, an ECS service of 2 Fargate tasks behind an ALB, and the same file
# on EKS behind an ALB Ingress) with the guide's aws and kubectl lines, only the endpoint
# changed (the aws CLI v1 takes --endpoint-url), and the real nginx image built by Moor.
#
#   ./moor up -d && eval "$(./moor env)"
#   bash examples/nginx-ecs-eks/walkthrough.sh     # prints both ALBs' URLs last
#
# Environment: MOOR_CLI (the moor command; default this checkout's ./moor), WORK (where the
# filled-in files go; default a temporary directory), WALKTHROUGH_TIMEOUT_SECONDS (each wait).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
read -r -a moor <<< "${MOOR_CLI:-$here/../../moor}"
NGINX_IMAGE=moor-examples/nginx:latest
CLUSTER=nginx-efs
WORK="${WORK:-$(mktemp -d)}"
timeout=${WALKTHROUGH_TIMEOUT_SECONDS:-120}
EP=(--endpoint-url "${AWS_ENDPOINT_URL:-}")
export AWS_PAGER=""

step() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*" >&2; }
# Says what failed, with what ECS and Kubernetes know of the tasks and pods that may be why.
fail() {
  printf 'walkthrough: %s\n' "$*" >&2
  trap - ERR
  local stopped
  [ -n "${AWS_ENDPOINT_URL:-}" ] || exit 1
  stopped=$(aws ecs list-tasks "${EP[@]}" --cluster "$CLUSTER" --desired-status STOPPED --query 'taskArns[0:3]' --output text 2> /dev/null || true)
  if [ -n "$stopped" ] && [ "$stopped" != "None" ]; then
    echo "stopped tasks of cluster $CLUSTER, and why:" >&2
    aws ecs describe-tasks "${EP[@]}" --cluster "$CLUSTER" --tasks $stopped --query 'tasks[].[taskArn,stoppedReason]' --output text >&2 2> /dev/null || true
  fi
  kubectl get pods -l app=nginx -o wide >&2 2> /dev/null || true
  exit 1
}
trap 'fail "stopped: line $LINENO failed: $BASH_COMMAND"' ERR

[ -n "${AWS_ENDPOINT_URL:-}" ] || fail 'cannot start: AWS_ENDPOINT_URL is not set (run: eval "$(./moor env)")'
[ -n "${KUBECONFIG:-}" ] || fail 'cannot start: KUBECONFIG is not set (run: eval "$(./moor env)")'
for tool in aws kubectl curl; do command -v "$tool" > /dev/null || fail "cannot start: $tool is not installed"; done
REGION="${AWS_DEFAULT_REGION:-us-east-1}"

# Polls a command until it prints the wanted text, or fails naming what it waited for.
wait_for() {
  local what="$1" want="$2"; shift 2
  local got="" deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    got="$("$@" 2> /dev/null || true)"
    [ "$got" = "$want" ] && return 0
    sleep 0.5
  done
  fail "gave up after ${timeout} s waiting for $what (last: \"$got\")"
}
# Fills the placeholders of a file of this folder into $WORK.
fill() {
  sed -e "s/FILE_SYSTEM_ID/$FILE_SYSTEM_ID/g" -e "s/ACCESS_POINT_ID/$ACCESS_POINT_ID/g" -e "s|TASK_ROLE_ARN|$TASK_ROLE_ARN|g" \
    -e "s|NGINX_IMAGE|$NGINX_IMAGE|g" -e "s/ACCOUNT_ID/$ACCOUNT_ID/g" -e "s/REGION/$REGION/g" "$here/$1" > "$WORK/$1"
}

step "Image: Debian's nginx (examples/images/nginx), built with Moor's builder"
if ! "${moor[@]}" image build -t "$NGINX_IMAGE" "$here/../images/nginx" > "$WORK/build.log" 2>&1; then
  tail -20 "$WORK/build.log" >&2
  fail "cannot build $NGINX_IMAGE (whole log: $WORK/build.log)"
fi
grep -E '^Successfully tagged' "$WORK/build.log"

step "The account, the VPC, its subnets and default security group; HTTP (80) from the VPC"
ACCOUNT_ID=$(aws sts get-caller-identity "${EP[@]}" --query Account --output text)
VPC_ID=$(aws ec2 describe-vpcs "${EP[@]}" --query "Vpcs[0].VpcId" --output text)
CIDR_BLOCK=$(aws ec2 describe-vpcs "${EP[@]}" --vpc-ids "$VPC_ID" --query "Vpcs[0].CidrBlock" --output text)
# Private subnets carry the tasks, pods, instance and mount targets; public ones the ALB.
SUBNETS=$(aws ec2 describe-subnets "${EP[@]}" --filters Name=vpc-id,Values="$VPC_ID" Name=map-public-ip-on-launch,Values=false --query "Subnets[].SubnetId" --output text)
PUBLIC_SUBNETS=$(aws ec2 describe-subnets "${EP[@]}" --filters Name=vpc-id,Values="$VPC_ID" Name=map-public-ip-on-launch,Values=true --query "Subnets[].SubnetId" --output text)
GROUP_ID=$(aws ec2 describe-security-groups "${EP[@]}" --filters Name=group-name,Values=default Name=vpc-id,Values="$VPC_ID" --query "SecurityGroups[0].GroupId" --output text)
aws ec2 authorize-security-group-ingress "${EP[@]}" --group-id "$GROUP_ID" --protocol tcp --port 80 --cidr "$CIDR_BLOCK" > /dev/null
echo "account $ACCOUNT_ID, VPC $VPC_ID ($CIDR_BLOCK), private subnets $(echo $SUBNETS), public subnets $(echo $PUBLIC_SUBNETS), security group $GROUP_ID"

step "EFS: the file system, a mount target in every private subnet, the access point (Uid=1000,Gid=1000)"
FILE_SYSTEM_ID=$(aws efs create-file-system "${EP[@]}" --creation-token nginx-efs --encrypted --tags Key=Name,Value=nginx-efs --query FileSystemId --output text)
wait_for "file system $FILE_SYSTEM_ID to be available" available aws efs describe-file-systems "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "FileSystems[0].LifeCycleState" --output text
for subnet in $SUBNETS; do
  aws efs create-mount-target "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --subnet-id "$subnet" --security-groups "$GROUP_ID" --query MountTargetId --output text
done
wait_for "the mount targets to be available" "" aws efs describe-mount-targets "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "MountTargets[?LifeCycleState!='available'].MountTargetId" --output text
ACCESS_POINT_ID=$(aws efs create-access-point "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --posix-user Uid=1000,Gid=1000 --query AccessPointId --output text)
echo "file system $FILE_SYSTEM_ID, access point $ACCESS_POINT_ID"

step "EC2: an instance whose user data mounts the file system (the guide's NFS line) and writes index.html"
cat > "$WORK/user-data.sh" <<EOF
#!/bin/bash
set -e
mkdir -p /home/ec2-user && cd /home/ec2-user && mkdir -p efs
mount -t nfs -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport $FILE_SYSTEM_ID.efs.$REGION.amazonaws.com:/ efs
echo '<h1>Hello from EFS</h1>' > efs/index.html
echo index-written
EOF
FIRST_SUBNET=${SUBNETS%%[[:space:]]*}
INSTANCE_ID=$(aws ec2 run-instances "${EP[@]}" --image-id ami-0abcdef1234567890 --instance-type t3.micro --count 1 --subnet-id "$FIRST_SUBNET" --security-group-ids "$GROUP_ID" --user-data "file://$WORK/user-data.sh" --query "Instances[0].InstanceId" --output text)
wait_for "instance $INSTANCE_ID's user data to write index.html" yes bash -c "aws ec2 get-console-output ${EP[*]} --instance-id $INSTANCE_ID --query Output --output text | grep -q index-written && echo yes"
echo "instance $INSTANCE_ID wrote index.html"

step "IAM: the task role, and the file-system policy (ClientMount and ClientWrite for it, only through the access point)"
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
TASK_ROLE_ARN=$(aws iam get-role "${EP[@]}" --role-name ecsTaskRole --query Role.Arn --output text 2> /dev/null) ||
  TASK_ROLE_ARN=$(aws iam create-role "${EP[@]}" --role-name ecsTaskRole --assume-role-policy-document "$TRUST" --query Role.Arn --output text)
cat > "$WORK/policy.json" <<EOF
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"$TASK_ROLE_ARN"},
 "Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite"],
 "Resource":"arn:aws:elasticfilesystem:$REGION:$ACCOUNT_ID:file-system/$FILE_SYSTEM_ID",
 "Condition":{"StringEquals":{"elasticfilesystem:AccessPointArn":"arn:aws:elasticfilesystem:$REGION:$ACCOUNT_ID:access-point/$ACCESS_POINT_ID"}}}]}
EOF
aws efs put-file-system-policy "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --policy "file://$WORK/policy.json" > /dev/null
echo "task role $TASK_ROLE_ARN"

step "ELBv2: an ALB, an ip target group (short health checks and deregistration delay), an HTTP listener"
LB_ARN=$(aws elbv2 create-load-balancer "${EP[@]}" --name nginx-efs-alb --type application --subnets $PUBLIC_SUBNETS --security-groups "$GROUP_ID" --query "LoadBalancers[0].LoadBalancerArn" --output text)
TG_ARN=$(aws elbv2 create-target-group "${EP[@]}" --name nginx-efs-tg --protocol HTTP --port 80 --vpc-id "$VPC_ID" --target-type ip \
  --health-check-interval-seconds 5 --health-check-timeout-seconds 2 --healthy-threshold-count 2 --query "TargetGroups[0].TargetGroupArn" --output text)
# ECS waits the deregistration delay (300 s by default) before it stops a task taken out of the group.
aws elbv2 modify-target-group-attributes "${EP[@]}" --target-group-arn "$TG_ARN" --attributes Key=deregistration_delay.timeout_seconds,Value=5 > /dev/null
aws elbv2 create-listener "${EP[@]}" --load-balancer-arn "$LB_ARN" --protocol HTTP --port 80 --default-actions Type=forward,TargetGroupArn="$TG_ARN" --query "Listeners[0].ListenerArn" --output text
ECS_ALB=$(aws elbv2 describe-load-balancers "${EP[@]}" --load-balancer-arns "$LB_ARN" --query "LoadBalancers[0].DNSName" --output text)
echo "ALB $ECS_ALB"

step "ECS: the log group, the cluster, the task definition (EFS through the access point, iam ENABLED), a service of 2 tasks behind the ALB"
aws logs create-log-group "${EP[@]}" --log-group-name /ecs/nginx-efs
aws ecs create-cluster "${EP[@]}" --cluster-name "$CLUSTER" --query cluster.status --output text
fill task-definition.json
aws ecs register-task-definition "${EP[@]}" --cli-input-json "file://$WORK/task-definition.json" --query taskDefinition.taskDefinitionArn --output text
aws ecs create-service "${EP[@]}" --cluster "$CLUSTER" --service-name nginx --task-definition nginx-efs --desired-count 2 --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[$(echo $SUBNETS | tr ' ' ',')],securityGroups=[$GROUP_ID]}" \
  --load-balancers "targetGroupArn=$TG_ARN,containerName=nginx,containerPort=80" --query service.status --output text
wait_for "2 running tasks" 2 aws ecs describe-services "${EP[@]}" --cluster "$CLUSTER" --services nginx --query "services[0].runningCount" --output text
wait_for "2 healthy targets" "healthy healthy" bash -c "aws elbv2 describe-target-health ${EP[*]} --target-group-arn $TG_ARN --query 'TargetHealthDescriptions[].TargetHealth.State' --output text | tr '\t' ' '"
aws elbv2 describe-target-health "${EP[@]}" --target-group-arn "$TG_ARN" --query "TargetHealthDescriptions[].[Target.Id,Target.Port,TargetHealth.State]" --output text
wait_for "the ECS ALB to answer" 200 curl -s -o /dev/null -m 5 -w "%{http_code}" "http://$ECS_ALB/"
curl -sf -m 5 "http://$ECS_ALB/"

step "EKS: a PersistentVolume on the access point, its claim, nginx on Fargate (2 replicas), a Service and the ALB Ingress"
fill eks.yaml
kubectl apply -f "$WORK/eks.yaml"
kubectl rollout status deployment/nginx --timeout="${timeout}s" || fail "nginx on EKS did not become ready"
kubectl get pods -l app=nginx -o wide
wait_for "the Ingress's ALB hostname" yes bash -c 'kubectl get ingress nginx -o jsonpath="{.status.loadBalancer.ingress[0].hostname}" | grep -q . && echo yes'
kubectl get ingress nginx
EKS_ALB=$(kubectl get ingress nginx -o jsonpath="{.status.loadBalancer.ingress[0].hostname}")
wait_for "the Ingress's ALB to answer" 200 curl -s -o /dev/null -m 5 -w "%{http_code}" "http://$EKS_ALB/"
curl -sf -m 5 "http://$EKS_ALB/"

step "Done: the instance's index.html, served by ECS and by EKS"
echo "ECS: http://$ECS_ALB/"
echo "EKS: http://$EKS_ALB/"
