/**
 * Certificate downloads: DownloadCertificate (base64 zip, legacy all-server
 * layout of reference §4.2) and DescribeDownloadCertificateUrl (a URL this
 * emulator serves, per-server layout of §4.3).
 */
import { zipSync, strToU8 } from "fflate";
import type {
  DescribeDownloadCertificateUrlRequest,
  DescribeDownloadCertificateUrlResponse,
  DownloadCertificateRequest,
  DownloadCertificateResponse,
} from "tencentcloud-sdk-nodejs/tencentcloud/services/ssl/v20191205/ssl_models";
import { ApiError, type ActionHandler } from "../../contract";
import { certificateOf, type BackendCore } from "../core";
import { hexToken } from "../ids";
import { ensureCsr, ensureMaterial } from "../material";
import { isIssued } from "../status";
import { handler, requireString } from "../wire";
import type { CertificateRecord, MaterialRecord } from "../state";

/** File-name form of a domain (UNCERTAIN for wildcards: `*` becomes `_`). */
export function fileDomain(domain: string): string {
  return domain.replace(/\*/g, "_");
}

export const SUPPORTED_SERVICE_TYPES: readonly string[] = ["nginx", "apache", "other", "root"];
export const UNSUPPORTED_SERVICE_TYPES: readonly string[] = ["tomcat", "iis", "jks"];

interface Parts {
  readonly d: string;
  readonly leaf: string;
  readonly chain: string;
  readonly root: string;
  readonly key: string | null;
  readonly csr: string | null;
}

async function partsOf(core: BackendCore, cert: CertificateRecord): Promise<Parts> {
  if (!isIssued(cert)) {
    throw new ApiError("FailedOperation.CertificateStatusNotAllowDownload", `Certificate ${cert.id} is in status ${cert.status}; only an issued certificate can be downloaded.`);
  }
  const material = (await ensureMaterial(core, cert)) as MaterialRecord;
  const csr = cert.source === "upload" ? null : await ensureCsr(cert);
  return { d: fileDomain(cert.domain), leaf: material.certificatePem, chain: material.chainPem, root: material.rootPem, key: cert.key.privateKeyPem, csr };
}

function zip(files: Record<string, string | null>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    if (content !== null) entries[name] = strToU8(content);
  }
  return Buffer.from(zipSync(entries, { level: 6 }));
}

/** Legacy bundle: `<d>.csr|key|pem` at the root, `Nginx/`, `Apache/` (IIS and Tomcat keystores are not built). */
export function legacyZip(p: Parts): Buffer {
  return zip({
    [`${p.d}.csr`]: p.csr,
    [`${p.d}.key`]: p.key,
    [`${p.d}.pem`]: p.leaf + p.chain,
    [`Nginx/1_${p.d}_bundle.crt`]: p.leaf + p.chain,
    [`Nginx/2_${p.d}.key`]: p.key,
    [`Apache/1_root_bundle.crt`]: p.chain + p.root,
    [`Apache/2_${p.d}.crt`]: p.leaf,
    [`Apache/3_${p.d}.key`]: p.key,
  });
}

/** Per-server bundle of `DescribeDownloadCertificateUrl`. `other` and `root` layouts are UNCERTAIN. */
export function serviceZip(p: Parts, serviceType: string): Buffer {
  const dir = `${p.d}_${serviceType}/`;
  switch (serviceType) {
    case "nginx":
      return zip({ [`${dir}${p.d}_bundle.crt`]: p.leaf + p.chain, [`${dir}${p.d}_bundle.pem`]: p.leaf + p.chain, [`${dir}${p.d}.key`]: p.key, [`${dir}${p.d}.csr`]: p.csr });
    case "apache":
      return zip({ [`${dir}root_bundle.crt`]: p.chain + p.root, [`${dir}${p.d}.crt`]: p.leaf, [`${dir}${p.d}.key`]: p.key, [`${dir}${p.d}.csr`]: p.csr });
    case "other":
      return zip({ [`${dir}${p.d}.pem`]: p.leaf + p.chain, [`${dir}${p.d}.key`]: p.key, [`${dir}${p.d}.csr`]: p.csr });
    default:
      return zip({ [`${dir}root_bundle.crt`]: p.chain + p.root });
  }
}

export function downloadHandlers(core: BackendCore): Record<string, ActionHandler> {
  return {
    DownloadCertificate: handler<DownloadCertificateRequest, DownloadCertificateResponse>(core, async ({ req, account }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const body = legacyZip(await partsOf(core, cert));
      return { Content: body.toString("base64"), ContentType: "application/zip" };
    }),

    DescribeDownloadCertificateUrl: handler<DescribeDownloadCertificateUrlRequest, DescribeDownloadCertificateUrlResponse>(core, async ({ req, account, ctx }) => {
      const cert = certificateOf(account, requireString(req.CertificateId, "CertificateId"));
      const serviceType = (req.ServiceType ?? "nginx").toLowerCase();
      if (!SUPPORTED_SERVICE_TYPES.includes(serviceType)) {
        const why = UNSUPPORTED_SERVICE_TYPES.includes(serviceType) ? "the emulator does not build PFX/JKS keystores" : "unknown service type";
        throw new ApiError("FailedOperation.CertificateDownloadServiceTypeNotSupport", `ServiceType ${JSON.stringify(req.ServiceType)} is not supported (${why}); use nginx, apache, other or root.`);
      }
      const parts = await partsOf(core, cert);
      const token = hexToken(16);
      const filename = `${parts.d}_${serviceType}.zip`;
      core.downloads.set(token, { contentType: "application/zip", body: serviceZip(parts, serviceType), filename });
      return { DownloadCertificateUrl: `${ctx.baseUrl}/_emulator/download/${token}`, DownloadFilename: filename };
    }),
  };
}
