"""RenewedCertificate from Python: renews the certificate when it is due, outputs the pair.

The SDK (pulumi_tencentcloud_cert_renewal) is generated from the plugin's schema by
`pulumi package add ./node_modules/tencentcloud-cert-renewal/bin`.
"""
import pulumi
import pulumi_tencentcloud_cert_renewal as tccert

config = pulumi.Config()

cert = tccert.RenewedCertificate(
    "shop",
    certificate_id=config.require("certificateId"),
    renew_before_days=30,  # @default 30
    key=tccert.KeyArgs(source="local", algorithm="RSA_2048"),
    validation="dnspod",  # @default "dnspod"
    wait_timeout_minutes=30,
)

pulumi.export("certificateId", cert.certificate_id)  # changes on renewal; the resource id stays
pulumi.export("notAfter", cert.not_after)
pulumi.export("fullchainPem", cert.fullchain_pem)
pulumi.export("privateKeyPem", cert.private_key_pem)  # a secret output
