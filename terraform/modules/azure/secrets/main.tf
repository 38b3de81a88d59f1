# Key Vault holds TaskFlow's connection URLs, bootstrap admin and key-encryption key, generated
# here, never typed into a variables file. Only the External Secrets Operator's service account
# in the TaskFlow namespace may read them, as a managed identity federated with the cluster's
# OIDC issuer.
data "azurerm_client_config" "current" {}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

resource "random_password" "admin" {
  length  = 24
  special = false
}

# The key-encryption key TaskFlow seals its token signing keys with (--key-encryption-key-file),
# kept in the vault like the rest: the base64 of 32 random bytes, mounted as that text, since the
# node hashes the file as it is and raw bytes could end in a newline byte the node strips.
resource "random_bytes" "kek" {
  length = 32
}

resource "azurerm_key_vault" "this" {
  # Vault names are global and at most 24 characters.
  name                       = substr("${var.name}-${random_string.suffix.result}", 0, 24)
  location                   = var.location
  resource_group_name        = var.resource_group_name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  enable_rbac_authorization  = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 30
}

# Whoever runs Terraform writes the secrets.
resource "azurerm_role_assignment" "writer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

locals {
  secrets = {
    "postgres-url"    = var.postgres_url
    "redis-url"       = var.redis_url
    "bootstrap-admin" = "${var.admin_email}:${random_password.admin.result}"
    "kek"             = random_bytes.kek.base64
  }
}

resource "azurerm_key_vault_secret" "this" {
  # Keys, not values, drive for_each: the values are sensitive.
  for_each     = toset(["postgres-url", "redis-url", "bootstrap-admin", "kek"])
  name         = "${var.name}-${each.key}"
  value        = local.secrets[each.key]
  key_vault_id = azurerm_key_vault.this.id
  depends_on   = [azurerm_role_assignment.writer]
}

resource "azurerm_user_assigned_identity" "reader" {
  name                = "${var.name}-external-secrets"
  location            = var.location
  resource_group_name = var.resource_group_name
}

resource "azurerm_federated_identity_credential" "reader" {
  name                = "${var.name}-external-secrets"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.reader.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.oidc_issuer_url
  subject             = "system:serviceaccount:${var.namespace}:${var.service_account}"
}

resource "azurerm_role_assignment" "reader" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.reader.principal_id
}
