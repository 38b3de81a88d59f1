variable "name" {
  description = "Cluster name and prefix of every resource name."
  type        = string
}

variable "project_id" {
  type = string
}

variable "region" {
  type = string
}

variable "network_id" {
  type = string
}

variable "subnetwork_id" {
  type = string
}

variable "pods_range_name" {
  type = string
}

variable "services_range_name" {
  type = string
}

variable "control_plane_cidr" {
  description = "A /28 for the control plane's private endpoint, outside every other range."
  type        = string
}

variable "api_allowed_cidrs" {
  description = "Address ranges allowed to reach the Kubernetes API."
  type        = list(string)
}

variable "node_machine_type" {
  type = string
}

variable "node_min_count" {
  description = "Fewest nodes across all zones."
  type        = number
}

variable "node_max_count" {
  description = "Most nodes across all zones."
  type        = number
}
