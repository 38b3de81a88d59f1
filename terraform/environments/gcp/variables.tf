variable "name" {
  description = "Name of this TaskFlow installation; prefixes every resource."
  type        = string
  default     = "taskflow"
}

variable "project_id" {
  description = "Google Cloud project to create everything in."
  type        = string
}

variable "region" {
  type = string
}

variable "vpc_cidr" {
  description = "Range for nodes, pods and Services; must not overlap networks you peer with."
  type        = string
  default     = "10.60.0.0/16"
}

variable "control_plane_cidr" {
  type    = string
  default = "172.16.0.0/28"
}

variable "api_allowed_cidrs" {
  description = "Who may reach the Kubernetes API: your office, VPN and CI runner ranges."
  type        = list(string)
}

variable "node_machine_type" {
  type    = string
  default = "e2-standard-4"
}

variable "node_min_count" {
  type    = number
  default = 3
}

variable "node_max_count" {
  type    = number
  default = 12
}

variable "postgres_tier" {
  type    = string
  default = "db-custom-2-7680"
}

variable "redis_memory_gb" {
  type    = number
  default = 5
}

variable "backup_retention_days" {
  description = "Daily database backups kept."
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
