variable "name" {
  description = "Cluster name and prefix of every resource name."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the control plane's network interfaces and the nodes."
  type        = list(string)
}

variable "api_allowed_cidrs" {
  description = "Address ranges allowed to reach the public Kubernetes API endpoint."
  type        = list(string)
}

variable "node_instance_types" {
  description = "EC2 instance types of the node group."
  type        = list(string)
}

variable "node_min_count" {
  description = "Fewest nodes; also the initial size."
  type        = number
}

variable "node_max_count" {
  description = "Most nodes the autoscaler may add."
  type        = number
}
