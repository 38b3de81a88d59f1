# Cloud SQL for PostgreSQL, the system of record: private IP only on the VPC peering, TLS
# required, regional (a standby in a second zone), daily backups with point-in-time recovery.
resource "random_password" "user" {
  length = 32
  # Kept URL-safe because it travels inside the connection URL.
  special = false
}

# Instance names cannot be reused for a week after deletion, hence the suffix.
resource "random_id" "suffix" {
  byte_length = 3
}

resource "google_sql_database_instance" "this" {
  name                = "${var.name}-${random_id.suffix.hex}"
  region              = var.region
  database_version    = "POSTGRES_15"
  deletion_protection = true

  settings {
    tier              = var.tier
    availability_type = "REGIONAL"
    disk_type         = "PD_SSD"
    disk_autoresize   = true

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      ssl_mode        = "ENCRYPTED_ONLY"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = var.backup_retention_days
      }
    }

    maintenance_window {
      day  = 7
      hour = 3
    }
  }
}

resource "google_sql_database" "taskflow" {
  name     = "taskflow"
  instance = google_sql_database_instance.this.name
}

resource "google_sql_user" "taskflow" {
  name     = "taskflow"
  instance = google_sql_database_instance.this.name
  password = random_password.user.result
}
