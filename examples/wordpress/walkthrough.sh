#!/usr/bin/env bash
# WordPress on EKS with Fargate, EFS, RDS and an ALB (AWS's guide), against a running Moor: the
# guide's own command lines with only the endpoint changed (the aws CLI v1 takes
# --endpoint-url), `moor cluster create -f` for eksctl, and manifests for the Bitnami chart.
#
#   ./moor up -d --no-default-profile && eval "$(./moor env)"
#   bash examples/wordpress/walkthrough.sh           # make everything; prints the site's URL
#   bash examples/wordpress/walkthrough.sh delete    # remove what it made
#
# Re-running it reuses what exists (found by the names below). Environment: MOOR_CLI (the moor
# command; default this checkout's ./moor), DB_PASSWORD, WORK (where the filled-in manifests
# go; default a temporary directory).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
read -r -a moor <<< "${MOOR_CLI:-$here/../../moor}"
CLUSTER=wordpress
DB_ID=wp-db
DB_PASSWORD="${DB_PASSWORD:-Wordpress-Moor-1}"
WORDPRESS_IMAGE=moor-examples/wordpress:latest
WORK="${WORK:-$(mktemp -d)}"

step() { printf '\n==> [%d s] %s\n' "$SECONDS" "$*" >&2; }
fail() { printf 'walkthrough: %s\n' "$*" >&2; exit 1; }
trap 'fail "stopped: line $LINENO failed: $BASH_COMMAND"' ERR

[ -n "${AWS_ENDPOINT_URL:-}" ] || fail 'cannot start: AWS_ENDPOINT_URL is not set (run: eval "$(./moor env)")'
[ -n "${KUBECONFIG:-}" ] || fail 'cannot start: KUBECONFIG is not set (run: eval "$(./moor env)")'
EP=(--endpoint-url "$AWS_ENDPOINT_URL")
export AWS_PAGER=""

# Polls a command until it prints the wanted text, or fails naming what it waited for.
wait_for() {
  local what="$1" want="$2" timeout="$3"; shift 3
  local got="" deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    got="$("$@" 2>/dev/null || true)"
    [ "$got" = "$want" ] && return 0
    sleep 1
  done
  fail "gave up after ${timeout} s waiting for $what (last: \"$got\")"
}

if [ "${1:-}" = "delete" ]; then
  # shellcheck source=examples/wordpress/_delete.sh
  source "$here/_delete.sh"
  exit 0
fi

step "Images: WordPress (nginx + PHP-FPM) and RDS's MariaDB 10.11, built with Moor's builder"
build_image() {
  if ! "${moor[@]}" image build -t "$1" "$2" > "$WORK/build.log" 2>&1; then
    tail -20 "$WORK/build.log" >&2
    fail "cannot build $1 from $2 (whole log: $WORK/build.log)"
  fi
  grep -E '^Successfully tagged' "$WORK/build.log"
}
build_image "$WORDPRESS_IMAGE" "$here/../images/wordpress"
build_image moor/rds-mariadb:10.11 "$here/../images/mariadb"

step "Cluster $CLUSTER with the Fargate profile fp-default (eksctl create cluster --fargate)"
if "${moor[@]}" cluster ls | grep -qx "$CLUSTER"; then echo "cluster \"$CLUSTER\" exists"; else "${moor[@]}" cluster create -f "$here/cluster.yaml"; fi

step "The cluster's VPC and its CIDR"
VPC_ID=$(aws eks describe-cluster "${EP[@]}" --name "$CLUSTER" --query "cluster.resourcesVpcConfig.vpcId" --output text)
CIDR_BLOCK=$(aws ec2 describe-vpcs "${EP[@]}" --vpc-ids "$VPC_ID" --query "Vpcs[].CidrBlock" --output text)
echo "VPC $VPC_ID, CIDR $CIDR_BLOCK"

step "Security group for the mount targets: NFS (2049) from the VPC"
MOUNT_TARGET_GROUP_ID=$(aws ec2 describe-security-groups "${EP[@]}" --filters Name=group-name,Values=efs-wordpress Name=vpc-id,Values="$VPC_ID" --query "SecurityGroups[0].GroupId" --output text)
if [ "$MOUNT_TARGET_GROUP_ID" = "None" ]; then
  MOUNT_TARGET_GROUP_ID=$(aws ec2 create-security-group "${EP[@]}" --group-name efs-wordpress --description "NFS access to EFS from EKS Fargate" --vpc-id "$VPC_ID" --query GroupId --output text)
  aws ec2 authorize-security-group-ingress "${EP[@]}" --group-id "$MOUNT_TARGET_GROUP_ID" --protocol tcp --port 2049 --cidr "$CIDR_BLOCK" >/dev/null
fi
echo "security group $MOUNT_TARGET_GROUP_ID"

step "File system, mount targets in the profile's subnets, and the /bitnami access point"
# (EFS answers FileSystemNotFound for a creation token no file system has.)
FILE_SYSTEM_ID=$(aws efs describe-file-systems "${EP[@]}" --creation-token wordpress --query "FileSystems[0].FileSystemId" --output text 2>/dev/null || echo None)
[ "$FILE_SYSTEM_ID" != "None" ] || FILE_SYSTEM_ID=$(aws efs create-file-system "${EP[@]}" --creation-token wordpress --encrypted --tags Key=Name,Value=wordpress --query FileSystemId --output text)
wait_for "file system $FILE_SYSTEM_ID to be available" available 60 aws efs describe-file-systems "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "FileSystems[0].LifeCycleState" --output text
SUBNETS=$(aws eks describe-fargate-profile "${EP[@]}" --cluster-name "$CLUSTER" --fargate-profile-name fp-default --query fargateProfile.subnets --output text)
HAVE_TARGETS=" $(aws efs describe-mount-targets "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "MountTargets[].SubnetId" --output text | tr '\t' ' ') "
for subnet in $SUBNETS; do
  case "$HAVE_TARGETS" in *" $subnet "*) continue ;; esac
  aws efs create-mount-target "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --subnet-id "$subnet" --security-groups "$MOUNT_TARGET_GROUP_ID" --query MountTargetId --output text
done
ACCESS_POINT_ID=$(aws efs describe-access-points "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "AccessPoints[?RootDirectory.Path=='/bitnami'].AccessPointId | [0]" --output text)
[ "$ACCESS_POINT_ID" != "None" ] || ACCESS_POINT_ID=$(aws efs create-access-point "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" \
  --posix-user Uid=1000,Gid=1000 \
  --root-directory "Path=/bitnami,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=777}" \
  --query AccessPointId --output text)
wait_for "the mount targets to be available" "" 60 aws efs describe-mount-targets "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "MountTargets[?LifeCycleState!='available'].MountTargetId" --output text
echo "file system $FILE_SYSTEM_ID, access point $ACCESS_POINT_ID"

step "CSIDriver, StorageClass, PersistentVolume on $FILE_SYSTEM_ID::$ACCESS_POINT_ID, claim"
sed -e "s/FILE_SYSTEM_ID/$FILE_SYSTEM_ID/" -e "s/ACCESS_POINT_ID/$ACCESS_POINT_ID/" "$here/storage.yaml" > "$WORK/storage.yaml"
kubectl apply -f "$WORK/storage.yaml"

# shellcheck source=examples/wordpress/_database.sh
source "$here/_database.sh"

step "WordPress: 3 replicas on the claim and the RDS endpoint, a Service and the ALB Ingress"
sed -e "s/RDS_ENDPOINT/$RDS_ENDPOINT/" -e "s|WORDPRESS_IMAGE|$WORDPRESS_IMAGE|" -e "s/DB_PASSWORD/$DB_PASSWORD/" "$here/wordpress.yaml" > "$WORK/wordpress.yaml"
kubectl apply -f "$WORK/wordpress.yaml"
kubectl rollout status deployment/wordpress --timeout=180s
kubectl get pods -l app.kubernetes.io/name=wordpress -o wide

step "The ALB's hostname"
wait_for "the Ingress's ALB hostname" yes 120 bash -c 'kubectl get ingress wordpress -o jsonpath="{.status.loadBalancer.ingress[0].hostname}" | grep -q . && echo yes'
kubectl get ingress wordpress
ALB=$(kubectl get ingress wordpress -o jsonpath="{.status.loadBalancer.ingress[0].hostname}")
wait_for "the ALB to answer the installer" 200 120 curl -s -o /dev/null -m 5 -w "%{http_code}" "http://$ALB/wp-admin/install.php"
step "Done: open http://$ALB/ and finish WordPress's installation"
echo "http://$ALB/"
