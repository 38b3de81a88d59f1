output "url" {
  description = "Connection URL for TASKFLOW_REDIS (TLS on 6380, hence rediss)."
  value       = "rediss://:${urlencode(azurerm_redis_cache.this.primary_access_key)}@${azurerm_redis_cache.this.hostname}:${azurerm_redis_cache.this.ssl_port}"
  sensitive   = true
}
