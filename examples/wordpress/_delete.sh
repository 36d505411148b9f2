# Part of walkthrough.sh (sourced by `walkthrough.sh delete`): removes what the walkthrough
# made, in the reverse order, skipping what is already gone.

step "WordPress, the storage objects"
kubectl delete ingress,service,deployment wordpress --ignore-not-found
kubectl delete secret wordpress-externaldb --ignore-not-found
kubectl delete pvc wordpress-efs-pvc --ignore-not-found
kubectl delete pv wordpress-efs-pv --ignore-not-found
kubectl delete storageclass efs-sc --ignore-not-found

step "The RDS instance $DB_ID and its subnet group"
if aws rds describe-db-instances "${EP[@]}" --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
  aws rds delete-db-instance "${EP[@]}" --db-instance-identifier "$DB_ID" --skip-final-snapshot --query "DBInstance.DBInstanceStatus" --output text
  wait_for "$DB_ID to be deleted" gone 120 bash -c "aws rds describe-db-instances --endpoint-url '$AWS_ENDPOINT_URL' --db-instance-identifier '$DB_ID' >/dev/null 2>&1 || echo gone"
fi
aws rds delete-db-subnet-group "${EP[@]}" --db-subnet-group-name wordpress 2>/dev/null || true

step "The file system, its access points and mount targets"
# (EFS answers FileSystemNotFound for a creation token no file system has.)
FILE_SYSTEM_ID=$(aws efs describe-file-systems "${EP[@]}" --creation-token wordpress --query "FileSystems[0].FileSystemId" --output text 2>/dev/null || echo None)
if [ "$FILE_SYSTEM_ID" != "None" ]; then
  for ap in $(aws efs describe-access-points "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "AccessPoints[].AccessPointId" --output text); do
    aws efs delete-access-point "${EP[@]}" --access-point-id "$ap"
  done
  for mt in $(aws efs describe-mount-targets "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "MountTargets[].MountTargetId" --output text); do
    aws efs delete-mount-target "${EP[@]}" --mount-target-id "$mt"
  done
  wait_for "the mount targets to go" 0 60 aws efs describe-mount-targets "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID" --query "length(MountTargets)" --output text
  aws efs delete-file-system "${EP[@]}" --file-system-id "$FILE_SYSTEM_ID"
fi

step "The mount targets' security group and the cluster"
VPC_ID=$(aws eks describe-cluster "${EP[@]}" --name "$CLUSTER" --query "cluster.resourcesVpcConfig.vpcId" --output text 2>/dev/null || true)
SG=$(aws ec2 describe-security-groups "${EP[@]}" --filters Name=group-name,Values=efs-wordpress --query "SecurityGroups[0].GroupId" --output text)
[ "$SG" = "None" ] || aws ec2 delete-security-group "${EP[@]}" --group-id "$SG" >/dev/null
[ -z "$VPC_ID" ] || "${moor[@]}" cluster delete -f "$here/cluster.yaml"
echo "deleted"
