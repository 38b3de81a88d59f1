output "url" {
  description = "Connection URL for TASKFLOW_REDIS (TLS, hence rediss)."
  value       = "rediss://:${random_password.auth.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
  sensitive   = true
}
