variable "name" {
  description = "Prefix of every secret and account name."
  type        = string
}

variable "project_id" {
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

variable "namespace" {
  description = "Kubernetes namespace of the reading service account."
  type        = string
}

variable "service_account" {
  description = "Kubernetes service account the External Secrets Operator reads as."
  type        = string
}
