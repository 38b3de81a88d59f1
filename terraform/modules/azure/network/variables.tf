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

variable "address_space" {
  description = "Address range of the virtual network (a /16)."
  type        = string
}
