# TaskFlow on AWS: a VPC, EKS, RDS for PostgreSQL, ElastiCache for Redis, Secrets Manager and
# ECR. The Kubernetes side is deploy/k8s/overlays/aws.
data "aws_availability_zones" "available" {
  state = "available"
}

module "network" {
  source             = "../../modules/aws/network"
  name               = var.name
  cidr               = var.vpc_cidr
  availability_zones = slice(data.aws_availability_zones.available.names, 0, 3)
}

module "cluster" {
  source              = "../../modules/aws/cluster"
  name                = var.name
  kubernetes_version  = var.kubernetes_version
  subnet_ids          = module.network.private_subnet_ids
  api_allowed_cidrs   = var.api_allowed_cidrs
  node_instance_types = var.node_instance_types
  node_min_count      = var.node_min_count
  node_max_count      = var.node_max_count
}

module "postgres" {
  source                    = "../../modules/aws/postgres"
  name                      = var.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  allowed_security_group_id = module.cluster.security_group_id
  instance_class            = var.postgres_instance_class
  storage_gb                = var.postgres_storage_gb
  backup_retention_days     = var.backup_retention_days
}

module "redis" {
  source                    = "../../modules/aws/redis"
  name                      = var.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  allowed_security_group_id = module.cluster.security_group_id
  node_type                 = var.redis_node_type
  snapshot_retention_days   = var.backup_retention_days
}

module "secrets" {
  source            = "../../modules/aws/secrets"
  name              = var.name
  postgres_url      = module.postgres.url
  redis_url         = module.redis.url
  admin_email       = var.admin_email
  oidc_provider_arn = module.cluster.oidc_provider_arn
  oidc_issuer       = module.cluster.oidc_issuer
  namespace         = local.namespace
  service_account   = local.secrets_service_account
}

module "registry" {
  source      = "../../modules/aws/registry"
  name        = var.name
  keep_images = 50
}

locals {
  # Where deploy/k8s/overlays/aws puts TaskFlow and the identity its secrets are read with.
  namespace               = "taskflow"
  secrets_service_account = "taskflow-external-secrets"
  secret_properties = {
    TASKFLOW_POSTGRES        = "postgres_url"
    TASKFLOW_REDIS           = "redis_url"
    TASKFLOW_BOOTSTRAP_ADMIN = "bootstrap_admin"
  }
}
