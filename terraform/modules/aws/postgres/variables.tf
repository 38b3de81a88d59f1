variable "name" {
  description = "Instance identifier and prefix of every resource name."
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

variable "instance_class" {
  type = string
}

variable "storage_gb" {
  description = "Initial storage; RDS grows it up to four times this on its own."
  type        = number
}

variable "backup_retention_days" {
  type = number
  validation {
    condition     = var.backup_retention_days >= 7
    error_message = "Keep at least a week of backups."
  }
}
