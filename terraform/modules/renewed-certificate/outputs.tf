# None of these changes with the passage of time alone: a plan after an apply is empty until a
# renewal is actually due. Contract: README.md.

output "certificate_id" {
  description = "The newest issued certificate of the lineage, after this apply."
  value       = data.external.material.result.certificate_id
}

output "original_certificate_id" {
  description = "The lineage root (the stable identity)."
  value       = data.external.material.result.original_certificate_id
}

output "certificate_pem" {
  description = "The leaf certificate, PEM."
  value       = data.external.material.result.certificate_pem
}

output "chain_pem" {
  description = "Intermediates then root, PEM."
  value       = data.external.material.result.chain_pem
}

output "fullchain_pem" {
  description = "Leaf then chain, PEM."
  value       = data.external.material.result.fullchain_pem
}

output "private_key_pem" {
  description = "SENSITIVE. The tls_private_key the certificate was issued for (key_source = \"local\"). null with key_source = \"csr\" (you hold the key), and for a certificate the stack adopted until its first renewal (renewal_message says until when). Never a key of another certificate and never \"\": stale or mismatched material fails the apply first."
  value       = data.external.material.result.key_matches == "true" ? one(tls_private_key.key[*].private_key_pem) : null
  sensitive   = true
}

output "not_before" {
  description = "ISO 8601."
  value       = data.external.material.result.not_before
}

output "not_after" {
  description = "ISO 8601."
  value       = data.external.material.result.not_after
}

output "renew_after" {
  description = "ISO 8601: not_after - renew_before_days."
  value       = data.external.material.result.renew_after
}

output "domains" {
  description = "Comma-separated, the common name first."
  value       = data.external.material.result.domains
}

output "serial_number" {
  description = "Uppercase hex."
  value       = data.external.material.result.serial_number
}

output "sha256_fingerprint" {
  description = "Uppercase hex with colons."
  value       = data.external.material.result.sha256_fingerprint
}

output "status" {
  description = "current, renewal-in-flight, or pending-human-action, after this apply."
  value       = data.external.material.result.status
}

output "renewal_due" {
  description = "\"true\" only while a renewal is still owed after this apply; unknown at a plan that renews."
  value       = data.external.material.result.due
}

output "renewal_message" {
  description = "Why (or why not), in words that do not change from day to day."
  value       = data.external.material.result.message
}

output "dns_records" {
  description = "manual-dns: JSON list of {domain, name, type, value} the CA expects for the renewal in flight; \"[]\" otherwise. Known at plan."
  value       = data.external.status.result.dns_records
}
