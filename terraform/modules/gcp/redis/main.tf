# Memorystore for Redis, the shared cache: a standard tier (replica in another zone) reached
# over private services access, AUTH and TLS required, hourly RDB snapshots.
resource "google_redis_instance" "this" {
  name                    = var.name
  region                  = var.region
  tier                    = "STANDARD_HA"
  memory_size_gb          = var.memory_gb
  redis_version           = "REDIS_7_0"
  authorized_network      = var.network_id
  connect_mode            = "PRIVATE_SERVICE_ACCESS"
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"

  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }
}
