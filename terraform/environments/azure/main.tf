# TaskFlow on Azure: a virtual network, AKS, PostgreSQL Flexible Server, Azure Cache for Redis,
# Key Vault and Container Registry in one resource group. The Kubernetes side is
# deploy/k8s/overlays/azure.
resource "azurerm_resource_group" "this" {
  name     = var.name
  location = var.location
  tags     = { Project = "taskflow" }
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

module "network" {
  source              = "../../modules/azure/network"
  name                = var.name
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  address_space       = var.vnet_cidr
}

module "cluster" {
  source              = "../../modules/azure/cluster"
  name                = var.name
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  kubernetes_version  = var.kubernetes_version
  subnet_id           = module.network.aks_subnet_id
  service_cidr        = var.service_cidr
  api_allowed_cidrs   = var.api_allowed_cidrs
  node_vm_size        = var.node_vm_size
  node_min_count      = var.node_min_count
  node_max_count      = var.node_max_count
}

module "postgres" {
  source                = "../../modules/azure/postgres"
  name                  = var.name
  location              = azurerm_resource_group.this.location
  resource_group_name   = azurerm_resource_group.this.name
  vnet_id               = module.network.vnet_id
  subnet_id             = module.network.postgres_subnet_id
  sku_name              = var.postgres_sku
  storage_mb            = var.postgres_storage_mb
  backup_retention_days = var.backup_retention_days
}

module "redis" {
  source              = "../../modules/azure/redis"
  name                = var.name
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  vnet_id             = module.network.vnet_id
  subnet_id           = module.network.endpoints_subnet_id
  capacity            = var.redis_capacity
}

module "secrets" {
  source              = "../../modules/azure/secrets"
  name                = var.name
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  postgres_url        = module.postgres.url
  redis_url           = module.redis.url
  admin_email         = var.admin_email
  oidc_issuer_url     = module.cluster.oidc_issuer_url
  namespace           = local.namespace
  service_account     = local.secrets_service_account
}

module "registry" {
  source              = "../../modules/azure/registry"
  name                = var.name
  suffix              = random_string.suffix.result
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  pull_principal_id   = module.cluster.kubelet_object_id
}

locals {
  # Where deploy/k8s/overlays/azure puts TaskFlow and the identity its secrets are read with.
  namespace               = "taskflow"
  secrets_service_account = "taskflow-external-secrets"
  secret_keys = {
    TASKFLOW_POSTGRES        = "postgres-url"
    TASKFLOW_REDIS           = "redis-url"
    TASKFLOW_BOOTSTRAP_ADMIN = "bootstrap-admin"
  }
}
