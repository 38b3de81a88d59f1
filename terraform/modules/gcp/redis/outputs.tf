output "url" {
  description = "Connection URL for TASKFLOW_REDIS (TLS, hence rediss)."
  value       = "rediss://:${google_redis_instance.this.auth_string}@${google_redis_instance.this.host}:${google_redis_instance.this.port}"
  sensitive   = true
}
