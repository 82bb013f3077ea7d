/**
 * The one entry to `@peculiar/x509` for this folder. Its CommonJS build needs a
 * Reflect metadata polyfill (tsyringe) loaded first, so every module here
 * imports `./peculiar` instead of `@peculiar/x509` directly, and passes
 * {@link webCrypto} to every call that signs or verifies (no global provider).
 *
 * Loaded on first use: `x509` is a stand-in that requires `@peculiar/x509` (about 300 modules with
 * its dependencies) the first time one of its members is read, so that importing the crypto adapter
 * (every front end does, through runtime/) costs nothing until a key, CSR or certificate is handled.
 */
import { webcrypto } from "node:crypto";
import type * as X509 from "@peculiar/x509";

let loaded: typeof X509 | undefined;

function load(): typeof X509 {
  if (loaded === undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy loading at the adapter's boundary */
    require("reflect-metadata");
    loaded = require("@peculiar/x509") as typeof X509;
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return loaded;
}

/** `@peculiar/x509`, loaded when first used. */
export const x509: typeof X509 = new Proxy({} as typeof X509, { get: (_target, name) => load()[name as keyof typeof X509] });

/** The types of `@peculiar/x509` this folder names, under the same `x509.` prefix. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace x509 {
  type X509Certificate = X509.X509Certificate;
  type Pkcs10CertificateRequest = X509.Pkcs10CertificateRequest;
  type Extension = X509.Extension;
  type SubjectAlternativeNameExtension = X509.SubjectAlternativeNameExtension;
}

type X509Crypto = NonNullable<Parameters<typeof X509.Pkcs10CertificateRequestGenerator.create>[1]>;

/** Node's WebCrypto, typed as the provider @peculiar/x509 expects. Always passed explicitly. */
export const webCrypto = webcrypto as unknown as X509Crypto;
