variable "name" {
  description = "Cluster name and DNS prefix."
  type        = string
}

variable "location" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "kubernetes_version" {
  type = string
}

variable "subnet_id" {
  description = "Subnet for nodes and pods."
  type        = string
}

variable "service_cidr" {
  description = "Range for Service addresses; must not overlap the virtual network."
  type        = string
}

variable "api_allowed_cidrs" {
  description = "Address ranges allowed to reach the Kubernetes API."
  type        = list(string)
}

variable "node_vm_size" {
  type = string
}

variable "node_min_count" {
  type = number
}

variable "node_max_count" {
  type = number
}
