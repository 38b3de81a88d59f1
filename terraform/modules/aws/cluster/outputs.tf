output "name" {
  value = aws_eks_cluster.this.name
}

output "security_group_id" {
  description = "The cluster security group, which managed nodes and so every pod use."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  value = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "Issuer host and path, as IAM trust policy conditions name it."
  value       = local.oidc_issuer
}
