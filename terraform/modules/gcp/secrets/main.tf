# Secret Manager holds TaskFlow's connection URLs, bootstrap admin and key-encryption key,
# generated here, never typed into a variables file. Only the External Secrets Operator's
# service account in the TaskFlow namespace may read them, as a Google service account through
# workload identity.
resource "random_password" "admin" {
  length  = 24
  special = false
}

# The key-encryption key TaskFlow seals its token signing keys with (--key-encryption-key-file):
# the base64 of 32 random bytes, mounted as that text, since the node hashes the file as it is
# and raw bytes could end in a newline byte the node strips. No module here creates a Cloud KMS
# key, so Secret Manager encrypts it, like the other secrets, with a Google-managed key.
resource "random_bytes" "kek" {
  length = 32
}

locals {
  secrets = {
    "postgres-url"    = var.postgres_url
    "redis-url"       = var.redis_url
    "bootstrap-admin" = "${var.admin_email}:${random_password.admin.result}"
    "kek"             = random_bytes.kek.base64
  }
}

resource "google_secret_manager_secret" "this" {
  # Keys, not values, drive for_each: the values are sensitive.
  for_each  = toset(["postgres-url", "redis-url", "bootstrap-admin", "kek"])
  secret_id = "${var.name}-${each.key}"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "this" {
  for_each    = google_secret_manager_secret.this
  secret      = each.value.id
  secret_data = local.secrets[each.key]
}

resource "google_service_account" "reader" {
  account_id   = "${var.name}-external-secrets"
  display_name = "${var.name} External Secrets Operator"
}

resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = google_secret_manager_secret.this
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.reader.email}"
}

resource "google_service_account_iam_member" "workload_identity" {
  service_account_id = google_service_account.reader.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[${var.namespace}/${var.service_account}]"
}
