# AKS with an autoscaling node pool over three zones. Azure CNI with Azure network policy
# enforces the NetworkPolicies; the OIDC issuer and workload identity let the External Secrets
# Operator read Key Vault as a managed identity; the application routing add-on is the
# ingress controller.
resource "azurerm_kubernetes_cluster" "this" {
  name                = var.name
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = var.name
  kubernetes_version  = var.kubernetes_version
  sku_tier            = "Standard"

  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  api_server_access_profile {
    authorized_ip_ranges = var.api_allowed_cidrs
  }

  default_node_pool {
    name                = "default"
    vm_size             = var.node_vm_size
    vnet_subnet_id      = var.subnet_id
    zones               = ["1", "2", "3"]
    enable_auto_scaling = true
    min_count           = var.node_min_count
    max_count           = var.node_max_count
    # Node upgrades add a node before draining one, which the PodDisruptionBudgets expect.
    upgrade_settings {
      max_surge = "1"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "azure"
    load_balancer_sku = "standard"
    service_cidr      = var.service_cidr
    dns_service_ip    = cidrhost(var.service_cidr, 10)
  }

  web_app_routing {
    dns_zone_ids = []
  }

  # The cluster autoscaler moves the node count; a plan must not move it back.
  lifecycle {
    ignore_changes = [default_node_pool[0].node_count]
  }
}
