variable "name" {
  description = "Name of this TaskFlow installation; prefixes every resource."
  type        = string
  default     = "taskflow"
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "vpc_cidr" {
  description = "Address range of the VPC; must not overlap networks you peer with."
  type        = string
  default     = "10.40.0.0/16"
}

variable "kubernetes_version" {
  type    = string
  default = "1.30"
}

variable "api_allowed_cidrs" {
  description = "Who may reach the Kubernetes API: your office, VPN and CI runner ranges."
  type        = list(string)
}

variable "node_instance_types" {
  type    = list(string)
  default = ["m6i.large"]
}

variable "node_min_count" {
  type    = number
  default = 3
}

variable "node_max_count" {
  type    = number
  default = 12
}

variable "postgres_instance_class" {
  type    = string
  default = "db.m6g.large"
}

variable "postgres_storage_gb" {
  type    = number
  default = 50
}

variable "redis_node_type" {
  type    = string
  default = "cache.m6g.large"
}

variable "backup_retention_days" {
  description = "Days of database backups and cache snapshots kept."
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
