# The contract is README.md in this folder (shared with the CDKTF construct RenewedCertificate).
# Numbers and ids are checked again by the tccert programs at plan, with the engine's messages.

variable "certificate_id" {
  type        = string
  description = "The paid certificate whose lineage is managed (the lineage root, the stable identity), e.g. \"a1B2c3D4\"."
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.certificate_id))
    error_message = "certificate_id must be a Tencent certificate id such as \"a1B2c3D4\" (letters, digits, _ and -). Find it with `tccert scan` or in the SSL console."
  }
}

variable "renew_before_days" {
  type        = number
  default     = 30
  description = "Renew this many days before expiry (1 to 365). @default 30"
  validation {
    condition     = var.renew_before_days >= 1 && var.renew_before_days <= 365 && floor(var.renew_before_days) == var.renew_before_days
    error_message = "renew_before_days must be a whole number of days from 1 to 365. The default is 30."
  }
}

variable "key_source" {
  type        = string
  default     = "local"
  description = "local: a tls_private_key in Terraform state (sensitive); csr: your CSR in csr_pem (you keep the key). online/original are refused: Terraform cannot mark a data \"external\" result sensitive. @default \"local\""
  validation {
    condition     = contains(["local", "csr"], var.key_source)
    error_message = "key_source must be \"local\" (the default) or \"csr\". \"online\" and \"original\" (Tencent holds the key) are not offered with Terraform: the key would come back through a data \"external\" result, which Terraform cannot mark sensitive, so terraform show would print it. Use the CLI (tccert renew --out) for Tencent-held keys."
  }
}

variable "key_algorithm" {
  type        = string
  default     = "RSA_2048"
  description = "The tls_private_key algorithm: RSA_2048, RSA_3072, RSA_4096, EC_P256 or EC_P384. @default \"RSA_2048\""
  validation {
    condition     = contains(["RSA_2048", "RSA_3072", "RSA_4096", "EC_P256", "EC_P384"], var.key_algorithm)
    error_message = "key_algorithm must be one of RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384."
  }
}

variable "csr_pem" {
  type        = string
  default     = ""
  description = "Your CSR (PEM), required with key_source = \"csr\", not allowed otherwise. @default \"\""
}

variable "key_rotation" {
  type        = string
  default     = "always"
  description = "always: a new tls_private_key for every renewal cycle; never: one key for the life of the stack. @default \"always\""
  validation {
    condition     = contains(["always", "never"], var.key_rotation)
    error_message = "key_rotation must be \"always\" (the default: a new key for every renewal) or \"never\"."
  }
}

variable "validation" {
  type        = string
  default     = "dnspod"
  description = "Domain validation: dnspod (records made and removed for you), DNS_AUTO (Tencent does it), manual-dns (you publish the records in output dns_records). @default \"dnspod\""
  validation {
    condition     = contains(["dnspod", "DNS_AUTO", "manual-dns"], var.validation)
    error_message = "validation must be one of \"dnspod\", \"DNS_AUTO\", \"manual-dns\"."
  }
}

variable "product_pid" {
  type        = number
  default     = null
  description = "The product to renew as (ProductPid). @default null: derived from the certificate's PackageType"
}

variable "package_ids" {
  type        = list(string)
  default     = null
  description = "Benefit packages to pay with. @default null: chosen from DescribePackages, soonest to expire first"
}

variable "wait_timeout_minutes" {
  type        = number
  default     = 30
  description = "How long one apply waits for issuance (0 to 10080); past it the apply fails resumably and the next apply continues. @default 30"
  validation {
    condition     = var.wait_timeout_minutes >= 0 && var.wait_timeout_minutes <= 10080
    error_message = "wait_timeout_minutes must be a number of minutes from 0 to 10080. The default is 30."
  }
}

variable "renewal_trigger" {
  type        = string
  default     = null
  description = "Change it to renew at the next apply even when not due (Tencent must allow it: RenewAble). @default null: renew only when due"
  validation {
    condition     = var.renewal_trigger == null || try(length(var.renewal_trigger) > 0, false)
    error_message = "renewal_trigger must not be empty: leave it null to renew only when due, or set a value such as \"2025-06-rotate\"."
  }
}

variable "deploy" {
  type = list(object({
    resource_type = string
    regions       = optional(list(string))
  }))
  default     = []
  description = "Resources to move to the new certificate after issuance (UpdateCertificateInstance), e.g. [{ resource_type = \"clb\", regions = [\"ap-guangzhou\"] }]. @default []"
}

variable "program" {
  type        = list(string)
  default     = ["npx", "--no-install", "tccert"]
  description = "The argv prefix that starts tccert, run from Terraform's working directory. Use [\"tccert\"] when it is on PATH, or [\"node\", \"/abs/path/node_modules/tencentcloud-cert-renewal/dist/cli/main.js\"]. @default [\"npx\", \"--no-install\", \"tccert\"]"
  validation {
    condition     = length(var.program) > 0 && alltrue([for p in var.program : trimspace(p) != ""])
    error_message = "program must be a non-empty list of non-empty strings that starts tccert, e.g. [\"npx\", \"--no-install\", \"tccert\"] or [\"tccert\"]."
  }
}

variable "state_dir" {
  type        = string
  default     = ""
  description = "Where tccert tf-renew keeps its key journal and lineage locks. @default \"\": TCCERT_STATE_DIR, else .tccert-state in the project (the nearest directory with a package.json at or above Terraform's working directory)"
}
