variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "region" {
  type = string
}

variable "cidr" {
  description = "Range the subnetwork, pod and Service ranges are carved from (a /16)."
  type        = string
}
