# PostgreSQL on RDS, the system of record: private subnets only, reachable only from the
# cluster's security group, encrypted at rest, TLS enforced, daily backups with point-in-time
# recovery, Multi-AZ standby.
resource "random_password" "master" {
  length = 32
  # Kept URL-safe because it travels inside the connection URL.
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL, reachable from the Kubernetes cluster only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "from_cluster" {
  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.allowed_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-postgres15"
  family = "postgres15"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "this" {
  identifier                 = var.name
  engine                     = "postgres"
  engine_version             = "15"
  auto_minor_version_upgrade = true
  instance_class             = var.instance_class
  allocated_storage          = var.storage_gb
  max_allocated_storage      = var.storage_gb * 4
  storage_type               = "gp3"
  storage_encrypted          = true
  db_name                    = "taskflow"
  username                   = "taskflow"
  password                   = random_password.master.result
  db_subnet_group_name       = aws_db_subnet_group.this.name
  vpc_security_group_ids     = [aws_security_group.this.id]
  parameter_group_name       = aws_db_parameter_group.this.name
  publicly_accessible        = false
  multi_az                   = true
  backup_retention_period    = var.backup_retention_days
  backup_window              = "02:00-03:00"
  maintenance_window         = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot      = true
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${var.name}-final"
}
