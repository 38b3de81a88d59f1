# TaskFlow on Google Cloud: a VPC, GKE, Cloud SQL for PostgreSQL, Memorystore for Redis, Secret
# Manager and Artifact Registry. The Kubernetes side is deploy/k8s/overlays/gcp.
resource "google_project_service" "this" {
  for_each = toset([
    "compute.googleapis.com",
    "container.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "redis.googleapis.com",
    "secretmanager.googleapis.com",
    "artifactregistry.googleapis.com",
  ])
  service = each.value
  # Other things in the project may use these APIs too.
  disable_on_destroy = false
}

module "network" {
  source     = "../../modules/gcp/network"
  name       = var.name
  region     = var.region
  cidr       = var.vpc_cidr
  depends_on = [google_project_service.this]
}

module "cluster" {
  source              = "../../modules/gcp/cluster"
  name                = var.name
  project_id          = var.project_id
  region              = var.region
  network_id          = module.network.network_id
  subnetwork_id       = module.network.subnetwork_id
  pods_range_name     = module.network.pods_range_name
  services_range_name = module.network.services_range_name
  control_plane_cidr  = var.control_plane_cidr
  api_allowed_cidrs   = var.api_allowed_cidrs
  node_machine_type   = var.node_machine_type
  node_min_count      = var.node_min_count
  node_max_count      = var.node_max_count
}

# Cloud SQL and Memorystore take their private addresses from the peering the network module
# sets up, so they wait for all of it.
module "postgres" {
  source                = "../../modules/gcp/postgres"
  name                  = var.name
  region                = var.region
  network_id            = module.network.network_id
  tier                  = var.postgres_tier
  backup_retention_days = var.backup_retention_days
  depends_on            = [module.network]
}

module "redis" {
  source     = "../../modules/gcp/redis"
  name       = var.name
  region     = var.region
  network_id = module.network.network_id
  memory_gb  = var.redis_memory_gb
  depends_on = [module.network]
}

module "secrets" {
  source          = "../../modules/gcp/secrets"
  name            = var.name
  project_id      = var.project_id
  postgres_url    = module.postgres.url
  redis_url       = module.redis.url
  admin_email     = var.admin_email
  namespace       = local.namespace
  service_account = local.secrets_service_account
  depends_on      = [google_project_service.this]
}

module "registry" {
  source     = "../../modules/gcp/registry"
  name       = var.name
  region     = var.region
  depends_on = [google_project_service.this]
}

locals {
  # Where deploy/k8s/overlays/gcp puts TaskFlow and the identity its secrets are read with.
  namespace               = "taskflow"
  secrets_service_account = "taskflow-external-secrets"
  secret_keys = {
    TASKFLOW_POSTGRES        = "postgres-url"
    TASKFLOW_REDIS           = "redis-url"
    TASKFLOW_BOOTSTRAP_ADMIN = "bootstrap-admin"
  }
}
