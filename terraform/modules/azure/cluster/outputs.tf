output "name" {
  value = azurerm_kubernetes_cluster.this.name
}

output "oidc_issuer_url" {
  value = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "kubelet_object_id" {
  description = "Identity the nodes pull images as."
  value       = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
}
