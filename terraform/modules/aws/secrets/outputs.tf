output "secret_name" {
  value = aws_secretsmanager_secret.app.name
}

output "reader_role_arn" {
  value = aws_iam_role.reader.arn
}

output "kek_secret_name" {
  value = aws_secretsmanager_secret.kek.name
}

output "kek_kms_key_arn" {
  description = "The customer-managed KMS key the key-encryption key secret is encrypted with."
  value       = aws_kms_key.kek.arn
}
