# Terraform >= 1.5 (terraform_data, custom conditions with dynamic messages) or OpenTofu >= 1.6.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "~> 2.3"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}
