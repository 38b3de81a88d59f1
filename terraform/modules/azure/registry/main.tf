# The image registry the deploy job pushes to; the cluster's nodes pull from it with their own
# identity, so no registry password exists anywhere.
resource "azurerm_container_registry" "this" {
  # Registry names are global, alphanumeric only.
  name                = replace("${var.name}${var.suffix}", "-", "")
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "Standard"
  admin_enabled       = false
}

resource "azurerm_role_assignment" "pull" {
  scope                = azurerm_container_registry.this.id
  role_definition_name = "AcrPull"
  principal_id         = var.pull_principal_id
}
