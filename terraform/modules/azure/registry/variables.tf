variable "name" {
  description = "Prefix of the registry name."
  type        = string
}

variable "suffix" {
  description = "Appended to the name to make it globally unique."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "pull_principal_id" {
  description = "Object id allowed to pull: the cluster's kubelet identity."
  type        = string
}
