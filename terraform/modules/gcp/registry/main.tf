# The Docker repository the deploy job pushes to; nodes pull with their own service account.
# Tags are immutable so a deployed tag always means the same image.
resource "google_artifact_registry_repository" "this" {
  repository_id = var.name
  location      = var.region
  format        = "DOCKER"
  docker_config {
    immutable_tags = true
  }
}
