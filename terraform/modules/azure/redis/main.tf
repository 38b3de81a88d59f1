# Azure Cache for Redis, the shared cache: Premium for zone redundancy and RDB backups, TLS
# only, no public endpoint; reached through a private endpoint in the virtual network.
resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

# RDB snapshots go to this account; its name must be globally unique, hence the suffix.
resource "azurerm_storage_account" "backups" {
  name                              = substr("${replace(var.name, "-", "")}rdb${random_string.suffix.result}", 0, 24)
  location                          = var.location
  resource_group_name               = var.resource_group_name
  account_tier                      = "Standard"
  account_replication_type          = "ZRS"
  min_tls_version                   = "TLS1_2"
  allow_nested_items_to_be_public   = false
  infrastructure_encryption_enabled = true
}

resource "azurerm_redis_cache" "this" {
  name                          = "${var.name}-${random_string.suffix.result}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  sku_name                      = "Premium"
  family                        = "P"
  capacity                      = var.capacity
  redis_version                 = "6"
  zones                         = ["1", "2"]
  enable_non_ssl_port           = false
  minimum_tls_version           = "1.2"
  public_network_access_enabled = false

  redis_configuration {
    rdb_backup_enabled            = true
    rdb_backup_frequency          = 60
    rdb_backup_max_snapshot_count = 1
    rdb_storage_connection_string = azurerm_storage_account.backups.primary_blob_connection_string
  }
}

resource "azurerm_private_dns_zone" "this" {
  name                = "privatelink.redis.cache.windows.net"
  resource_group_name = var.resource_group_name
}

resource "azurerm_private_dns_zone_virtual_network_link" "this" {
  name                  = "${var.name}-redis"
  resource_group_name   = var.resource_group_name
  private_dns_zone_name = azurerm_private_dns_zone.this.name
  virtual_network_id    = var.vnet_id
}

resource "azurerm_private_endpoint" "this" {
  name                = "${var.name}-redis"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "redis"
    private_connection_resource_id = azurerm_redis_cache.this.id
    subresource_names              = ["redisCache"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "redis"
    private_dns_zone_ids = [azurerm_private_dns_zone.this.id]
  }
}
