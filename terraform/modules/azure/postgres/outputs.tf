output "url" {
  description = "libpq connection URL for TASKFLOW_POSTGRES."
  value       = "postgresql://taskflow:${random_password.admin.result}@${azurerm_postgresql_flexible_server.this.fqdn}:5432/taskflow?sslmode=require"
  sensitive   = true
}
