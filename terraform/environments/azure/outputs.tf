output "resource_group" {
  value = azurerm_resource_group.this.name
}

output "cluster_name" {
  value = module.cluster.name
}

output "registry_login_server" {
  value = module.registry.login_server
}

# deploy/k8s/overlays/azure/infrastructure.yaml: the values the overlay needs from this
# infrastructure, as a strategic-merge patch the deploy job writes before `kubectl apply -k`.
output "kustomize_infrastructure_patch" {
  value = join("---\n", [
    yamlencode({
      apiVersion = "v1"
      kind       = "ServiceAccount"
      metadata = {
        name = local.secrets_service_account
        annotations = {
          "azure.workload.identity/client-id" = module.secrets.reader_client_id
          "azure.workload.identity/tenant-id" = module.secrets.tenant_id
        }
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "SecretStore"
      metadata   = { name = "taskflow" }
      spec       = { provider = { azurekv = { vaultUrl = module.secrets.vault_uri } } }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-secrets" }
      spec = {
        data = [for key, secret in local.secret_keys : {
          secretKey = key
          remoteRef = { key = module.secrets.secret_names[secret] }
        }]
      }
    }),
    yamlencode({
      apiVersion = "external-secrets.io/v1beta1"
      kind       = "ExternalSecret"
      metadata   = { name = "taskflow-kek" }
      spec = {
        data = [{ secretKey = "key", remoteRef = { key = module.secrets.secret_names["kek"] } }]
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
