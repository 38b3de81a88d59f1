variable "name" {
  description = "Replication group id and prefix of every resource name."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Private subnets, in at least two zones."
  type        = list(string)
}

variable "allowed_security_group_id" {
  description = "The only security group whose members may connect: the cluster's."
  type        = string
}

variable "node_type" {
  type = string
}

variable "snapshot_retention_days" {
  type = number
}
