output "cluster_name" {
  value = module.cluster.name
}

output "cluster_location" {
  value = module.cluster.location
}

output "registry_url" {
  value = module.registry.repository_url
}

# deploy/k8s/overlays/gcp/infrastructure.yaml: the values the overlay needs from this
# infrastructure, as a strategic-merge patch the deploy job writes before `kubectl apply -k`.
output "kustomize_infrastructure_patch" {
  value = join("---\n", [
    yamlencode({
      apiVersion = "v1"
      kind       = "ServiceAccount"
      metadata = {
        name        = local.secrets_service_account
        annotations = { "iam.gke.io/gcp-service-account" = module.secrets.reader_email }
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "SecretStore"
      metadata   = { name = "taskflow" }
      spec = { provider = { gcpsm = {
        projectID = var.project_id
        auth = { workloadIdentity = {
          clusterLocation  = module.cluster.location
          clusterName      = module.cluster.name
          clusterProjectID = var.project_id
        } }
      } } }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-secrets" }
      spec = {
        data = [for key, secret in local.secret_keys : {
          secretKey = key
          remoteRef = { key = module.secrets.secret_ids[secret] }
        }]
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-kek" }
      spec = {
        data = [{ secretKey = "key", remoteRef = { key = module.secrets.secret_ids["kek"] } }]
      }
    }),
    yamlencode({
      apiVersion = "networking.k8s.io/v1"
      kind       = "Ingress"
      metadata   = { name = "taskflow" }
      spec = {
        rules = [{
          host = var.hostname
          http = { paths = [{
            path     = "/"
            pathType = "Prefix"
            backend  = { service = { name = "taskflow-edge", port = { name = "http" } } }
          }] }
        }]
      }
    }),
  ])
}
