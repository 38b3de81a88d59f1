variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "vnet_id" {
  description = "Virtual network the private DNS zone is linked to."
  type        = string
}

variable "subnet_id" {
  description = "Subnet of the private endpoint."
  type        = string
}

variable "capacity" {
  description = "Premium size, 1 (6 GB) to 5 (120 GB)."
  type        = number
}
