# Part of walkthrough.sh (sourced): the guide's RDS lines. A DB subnet group over the profile's
# subnets, a MySQL instance (Moor runs MariaDB 10.11 for it), 3306 opened to the VPC on the
# instance's security group (the VPC's default group, as RDS chooses with none given).

step "DB subnet group and the RDS MySQL instance $DB_ID"
if ! aws rds describe-db-subnet-groups "${EP[@]}" --db-subnet-group-name wordpress >/dev/null 2>&1; then
  # shellcheck disable=SC2086
  aws rds create-db-subnet-group "${EP[@]}" --db-subnet-group-name wordpress --db-subnet-group-description "WordPress on Fargate" \
    --subnet-ids "[$(printf '"%s",' $SUBNETS | sed 's/,$//')]" --query "DBSubnetGroup.SubnetGroupStatus" --output text
fi
if ! aws rds describe-db-instances "${EP[@]}" --db-instance-identifier "$DB_ID" >/dev/null 2>&1; then
  aws rds create-db-instance "${EP[@]}" --db-name wordpress --db-instance-identifier "$DB_ID" --allocated-storage 20 \
    --db-instance-class db.t3.micro --engine mysql --master-username admin --master-user-password "$DB_PASSWORD" \
    --db-subnet-group-name wordpress --no-publicly-accessible --query "DBInstance.DBInstanceStatus" --output text
fi
wait_for "$DB_ID to be available" available 180 aws rds describe-db-instances "${EP[@]}" --db-instance-identifier "$DB_ID" --query "DBInstances[].DBInstanceStatus" --output text
echo "$DB_ID: available"

step "Open 3306 to the VPC on the instance's security group"
RDS_SG=$(aws rds describe-db-instances "${EP[@]}" --db-instance-identifier "$DB_ID" --query "DBInstances[].VpcSecurityGroups[].VpcSecurityGroupId" --output text)
if [ "$(aws ec2 describe-security-groups "${EP[@]}" --group-ids "$RDS_SG" --query "SecurityGroups[0].IpPermissions[?FromPort==\`3306\`] | length(@)" --output text)" = 0 ]; then
  aws ec2 authorize-security-group-ingress "${EP[@]}" --group-id "$RDS_SG" --protocol tcp --port 3306 --cidr "$CIDR_BLOCK" >/dev/null
fi
RDS_ENDPOINT=$(aws rds describe-db-instances "${EP[@]}" --db-instance-identifier "$DB_ID" --query "DBInstances[].Endpoint.Address" --output text)
echo "security group $RDS_SG, endpoint $RDS_ENDPOINT"
