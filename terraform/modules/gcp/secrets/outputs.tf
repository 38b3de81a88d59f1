output "secret_ids" {
  description = "Secret Manager secret id per key: postgres-url, redis-url, bootstrap-admin, kek."
  value       = { for key, secret in google_secret_manager_secret.this : key => secret.secret_id }
}

output "reader_email" {
  value = google_service_account.reader.email
}
