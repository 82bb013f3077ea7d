/**
 * The one entry to `@peculiar/x509` for this folder. Its CommonJS build needs a
 * Reflect metadata polyfill (tsyringe) loaded first, so every module here
 * imports `./peculiar` instead of `@peculiar/x509` directly, and passes
 * {@link webCrypto} to every call that signs or verifies (no global provider).
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export { x509 };

type X509Crypto = NonNullable<Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[1]>;

/** Node's WebCrypto, typed as the provider @peculiar/x509 expects. Always passed explicitly. */
export const webCrypto = webcrypto as unknown as X509Crypto;
