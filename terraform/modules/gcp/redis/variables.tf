variable "name" {
  description = "Instance name."
  type        = string
}

variable "region" {
  type = string
}

variable "network_id" {
  description = "VPC with private services access to Memorystore."
  type        = string
}

variable "memory_gb" {
  type = number
}
