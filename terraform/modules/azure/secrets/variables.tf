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

variable "postgres_url" {
  type      = string
  sensitive = true
}

variable "redis_url" {
  type      = string
  sensitive = true
}

variable "admin_email" {
  description = "E-mail of the admin user TaskFlow creates at first start."
  type        = string
}

variable "oidc_issuer_url" {
  description = "The AKS cluster's OIDC issuer."
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace of the reading service account."
  type        = string
}

variable "service_account" {
  description = "Kubernetes service account the External Secrets Operator reads as."
  type        = string
}
