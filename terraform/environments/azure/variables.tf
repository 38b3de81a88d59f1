variable "name" {
  description = "Name of this TaskFlow installation; names the resource group and prefixes every resource."
  type        = string
  default     = "taskflow"
}

variable "location" {
  description = "Azure region, with availability zones."
  type        = string
}

variable "vnet_cidr" {
  description = "Address range of the virtual network; must not overlap networks you peer with."
  type        = string
  default     = "10.50.0.0/16"
}

variable "service_cidr" {
  description = "Kubernetes Service range, outside the virtual network."
  type        = string
  default     = "10.51.0.0/16"
}

variable "kubernetes_version" {
  type    = string
  default = "1.30"
}

variable "api_allowed_cidrs" {
  description = "Who may reach the Kubernetes API: your office, VPN and CI runner ranges."
  type        = list(string)
}

variable "node_vm_size" {
  type    = string
  default = "Standard_D4s_v5"
}

variable "node_min_count" {
  type    = number
  default = 3
}

variable "node_max_count" {
  type    = number
  default = 12
}

variable "postgres_sku" {
  type    = string
  default = "GP_Standard_D2ds_v5"
}

variable "postgres_storage_mb" {
  type    = number
  default = 65536
}

variable "redis_capacity" {
  type    = number
  default = 1
}

variable "backup_retention_days" {
  description = "Days of database backups kept (7 to 35)."
  type        = number
  default     = 14
}

variable "admin_email" {
  description = "E-mail of the admin user TaskFlow creates at first start; its password is generated."
  type        = string
}

variable "hostname" {
  description = "Public host name of the TaskFlow API."
  type        = string
}
