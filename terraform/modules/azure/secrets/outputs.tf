output "vault_uri" {
  value = azurerm_key_vault.this.vault_uri
}

output "secret_names" {
  description = "Key Vault secret name per key: postgres-url, redis-url, bootstrap-admin, kek."
  value       = { for key, secret in azurerm_key_vault_secret.this : key => secret.name }
}

output "reader_client_id" {
  value = azurerm_user_assigned_identity.reader.client_id
}

output "tenant_id" {
  value = data.azurerm_client_config.current.tenant_id
}
