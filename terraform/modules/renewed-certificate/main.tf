# A paid Tencent Cloud SSL certificate, renewed by `terraform apply` (the gate pattern: a plan only
# reads). Contract: README.md. Same resources and programs as the CDKTF construct RenewedCertificate.

locals {
  status    = data.external.status.result
  local_key = var.key_source == "local"

  # With renewal_trigger: the certificate that was current when it last changed (unknown while the
  # trigger is being replaced). A forced renewal is owed while that certificate is still current.
  forced_from = one(terraform_data.renewal_trigger[*].output.certificate_id)
  owed        = local.forced_from != null && local.forced_from == local.status.certificate_id

  # Both are renew:<X> for "the renewal that replaces X", before and after it: one apply converges.
  cycle     = local.owed ? local.status.forced_cycle : local.status.cycle
  key_cycle = local.owed ? local.status.forced_key_cycle : local.status.key_cycle

  csr_pem = local.local_key ? one(tls_cert_request.csr[*].cert_request_pem) : var.csr_pem

  renew_query = jsonencode({
    certificate_id       = var.certificate_id
    renew_before_days    = tostring(var.renew_before_days)
    key_source           = var.key_source
    key_algorithm        = ""
    validation           = var.validation
    product_pid          = var.product_pid == null ? "" : tostring(var.product_pid)
    package_ids          = var.package_ids == null ? "" : jsonencode(var.package_ids)
    wait_timeout_minutes = tostring(var.wait_timeout_minutes)
    deploy               = length(var.deploy) == 0 ? "" : jsonencode([for d in var.deploy : merge({ resourceType = d.resource_type }, d.regions == null ? {} : { regions = d.regions })])
  })

  tls_key = {
    RSA_2048 = { algorithm = "RSA", rsa_bits = 2048, ecdsa_curve = null }
    RSA_3072 = { algorithm = "RSA", rsa_bits = 3072, ecdsa_curve = null }
    RSA_4096 = { algorithm = "RSA", rsa_bits = 4096, ecdsa_curve = null }
    EC_P256  = { algorithm = "ECDSA", rsa_bits = null, ecdsa_curve = "P256" }
    EC_P384  = { algorithm = "ECDSA", rsa_bits = null, ecdsa_curve = "P384" }
  }[var.key_algorithm]
}

# Plan time, read-only: the lineage's current certificate and its cycles. Nothing in it changes
# with the passage of time alone.
data "external" "status" {
  program = concat(var.program, ["tf-status"])
  query = {
    certificate_id    = var.certificate_id
    renew_before_days = tostring(var.renew_before_days)
  }
}

resource "terraform_data" "renewal_trigger" {
  count            = var.renewal_trigger == null ? 0 : 1
  triggers_replace = { renewal_trigger = var.renewal_trigger }
  input            = { certificate_id = local.status.certificate_id }
  lifecycle {
    ignore_changes = [input]
  }
}

# key_rotation = "always": the key is replaced when the key cycle changes (a renewal is due or
# forced); a renewal that resumes keeps the key its CSR was made from.
resource "terraform_data" "key_cycle" {
  count = local.local_key ? 1 : 0
  input = { key_cycle = var.key_rotation == "always" ? local.key_cycle : "never" }
}

resource "tls_private_key" "key" {
  count       = local.local_key ? 1 : 0
  algorithm   = local.tls_key.algorithm
  rsa_bits    = local.tls_key.rsa_bits
  ecdsa_curve = local.tls_key.ecdsa_curve
  lifecycle {
    replace_triggered_by = [terraform_data.key_cycle[count.index]]
  }
}

resource "tls_cert_request" "csr" {
  count           = local.local_key ? 1 : 0
  private_key_pem = tls_private_key.key[0].private_key_pem
  subject {
    common_name = local.status.domain
  }
  dns_names = split(",", local.status.domains)
}

# Apply time only: renews when due or forced, resumes a renewal in flight, else does nothing.
resource "terraform_data" "renewal" {
  triggers_replace = { cycle = local.cycle }
  input            = { cycle = local.cycle }

  lifecycle {
    precondition {
      condition     = local.local_key ? var.csr_pem == "" : can(regex("-----BEGIN CERTIFICATE REQUEST-----", var.csr_pem))
      error_message = local.local_key ? "csr_pem is only for key_source = \"csr\"; with \"local\" the CSR is made from the tls_private_key. Remove csr_pem." : "key_source = \"csr\" needs csr_pem: a PEM CSR starting with \"-----BEGIN CERTIFICATE REQUEST-----\"."
    }
  }

  provisioner "local-exec" {
    interpreter = concat(var.program, ["tf-renew", "--certificate-id"])
    command     = var.certificate_id
    environment = merge(
      { TCCERT_TF_QUERY = local.renew_query, TCCERT_CSR_PEM = local.csr_pem },
      local.forced_from == null ? {} : { TCCERT_FORCE_FROM = local.forced_from },
      var.state_dir == "" ? {} : { TCCERT_STATE_DIR = var.state_dir },
      # To deploy, Tencent installs the certificate with its key: the step gets the key (sensitive;
      # Terraform never stores or shows a provisioner's environment, and suppresses its output).
      local.local_key && length(var.deploy) > 0 ? { TCCERT_PRIVATE_KEY_PEM = one(tls_private_key.key[*].private_key_pem) } : {},
    )
  }
}

# Read after the renewal step (its query refers to the step's output, unknown while the step is
# replaced). No key travels here: Terraform cannot mark this result sensitive.
data "external" "material" {
  program = concat(var.program, ["tf-material"])
  query = {
    certificate_id    = var.certificate_id
    key_source        = var.key_source
    csr_pem           = local.csr_pem
    renew_before_days = tostring(var.renew_before_days)
    key_cycle         = local.key_cycle
    after_renewal     = terraform_data.renewal.output.cycle
  }

  lifecycle {
    postcondition {
      condition     = self.result.problem == ""
      error_message = "tccert: ${self.result.problem}"
    }
    postcondition {
      condition     = self.result.certificate_pem != ""
      error_message = "tccert: the material read returned no certificate PEM; apply again."
    }
  }
}
