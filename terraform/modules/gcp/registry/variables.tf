variable "name" {
  description = "Repository id."
  type        = string
}

variable "region" {
  type = string
}
