# Renew a paid Tencent Cloud SSL certificate with plain `terraform apply` (Terraform >= 1.5 or
# OpenTofu >= 1.6): a plan only reads, an apply renews when due (or resumes a renewal in flight),
# and the outputs are the newest certificate and its key. See README.md.

terraform {
  required_version = ">= 1.5.0"
}

variable "certificate_id" {
  type        = string
  default     = "DemoShop" # the emulator's demo preset; pass -var certificate_id=... for yours
  description = "The paid certificate whose renewals this root module manages"
}

module "shop" {
  # In your project: npm install tencentcloud-cert-renewal, then
  # source = "./node_modules/tencentcloud-cert-renewal/terraform/modules/renewed-certificate"
  source = "../../terraform/modules/renewed-certificate"

  certificate_id    = var.certificate_id
  renew_before_days = 30
  # The key is a tls_private_key in Terraform state (sensitive), a new one for every renewal.
  key_algorithm = "EC_P256"
  key_rotation  = "always"
  # Validation records are created in DNSPod and removed afterwards.
  validation           = "dnspod"
  wait_timeout_minutes = 30
  # After issuance, move the CLB listeners bound to the old certificate to the new one.
  deploy = [{ resource_type = "clb", regions = ["ap-guangzhou"] }]
}

# None of these changes from day to day: a plan after an apply is empty until a renewal is due.
output "renewal_due" {
  value = module.shop.renewal_due
}

output "renewal_message" {
  value = module.shop.renewal_message
}

output "shop_certificate_id" {
  value = module.shop.certificate_id
}

output "shop_not_after" {
  value = module.shop.not_after
}

output "shop_fullchain_pem" {
  value = module.shop.fullchain_pem
}

output "shop_private_key_pem" {
  value     = module.shop.private_key_pem
  sensitive = true
}
