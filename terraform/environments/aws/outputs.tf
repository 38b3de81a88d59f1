output "cluster_name" {
  value = module.cluster.name
}

output "registry_url" {
  value = module.registry.repository_url
}

# Where the key-encryption key lives and the KMS key it is encrypted with, for key policies and
# audits; neither is secret.
output "kek_secret_name" {
  value = module.secrets.kek_secret_name
}

output "kek_kms_key_arn" {
  value = module.secrets.kek_kms_key_arn
}

# deploy/k8s/overlays/aws/infrastructure.yaml: the values the overlay needs from this
# infrastructure, as a strategic-merge patch the deploy job writes before `kubectl apply -k`.
output "kustomize_infrastructure_patch" {
  value = join("---\n", [
    yamlencode({
      apiVersion = "v1"
      kind       = "ServiceAccount"
      metadata = {
        name        = local.secrets_service_account
        annotations = { "eks.amazonaws.com/role-arn" = module.secrets.reader_role_arn }
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "SecretStore"
      metadata   = { name = "taskflow" }
      spec       = { provider = { aws = { region = var.region } } }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-secrets" }
      spec = {
        data = [for key, property in local.secret_properties : {
          secretKey = key
          remoteRef = { key = module.secrets.secret_name, property = property }
        }]
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-kek" }
      spec = {
        data = [{ secretKey = "key", remoteRef = { key = module.secrets.kek_secret_name } }]
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
