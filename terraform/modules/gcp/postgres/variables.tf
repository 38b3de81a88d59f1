variable "name" {
  description = "Prefix of the instance name."
  type        = string
}

variable "region" {
  type = string
}

variable "network_id" {
  description = "VPC with private services access to Cloud SQL."
  type        = string
}

variable "tier" {
  type = string
}

variable "backup_retention_days" {
  description = "Daily backups kept."
  type        = number
}
