terraform {
  required_version = ">= 1.5"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.110"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
  # State holds the generated passwords: keep it in a storage account with encryption and
  # restricted access. The deploy job passes its names with -backend-config.
  backend "azurerm" {}
}

provider "azurerm" {
  features {
    key_vault {
      # Purge protection is on; a destroyed vault stays recoverable for its retention period.
      purge_soft_delete_on_destroy = false
    }
  }
}
