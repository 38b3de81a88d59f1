variable "name" {
  description = "Prefix of every resource name."
  type        = string
}

variable "cidr" {
  description = "Address range of the VPC."
  type        = string
}

variable "availability_zones" {
  description = "Zones to spread subnets over; at least two for a highly available database."
  type        = list(string)
}
