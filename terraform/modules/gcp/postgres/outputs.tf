output "url" {
  description = "libpq connection URL for TASKFLOW_POSTGRES."
  value       = "postgresql://taskflow:${random_password.user.result}@${google_sql_database_instance.this.private_ip_address}:5432/taskflow?sslmode=require"
  sensitive   = true
}
