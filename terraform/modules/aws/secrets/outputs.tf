output "secret_name" {
  value = aws_secretsmanager_secret.app.name
}

output "reader_role_arn" {
  value = aws_iam_role.reader.arn
}
