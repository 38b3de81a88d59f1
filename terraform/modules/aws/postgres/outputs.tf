output "url" {
  description = "libpq connection URL for TASKFLOW_POSTGRES."
  value       = "postgresql://taskflow:${random_password.master.result}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/taskflow?sslmode=require"
  sensitive   = true
}
