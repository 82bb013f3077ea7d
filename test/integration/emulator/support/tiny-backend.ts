/**
 * A deliberately small backend for testing the emulator's HTTP front on its own: a few actions with
 * observable state, so tests can tell whether a handler ran (e.g. a purchase committed).
 */
import { ApiError, type BackendAdmin, type CreateBackend, type EmulatorBackend, type SeedAccount, type SeedSpec } from "../../../../emulator/contract";

export const ACCOUNT: SeedAccount = { accountId: "acct-1", secretId: "AKIDtinyPermanent0001", secretKey: "tiny-secret-key-1" };
export const TEMP_ACCOUNT: SeedAccount = {
  accountId: "acct-temp",
  secretId: "AKIDtinyTemporary0002",
  secretKey: "tiny-secret-key-2",
  sessionToken: "session-token-2",
  sessionTokenExpiresAt: "2100-01-01T00:00:00.000Z",
};
export const DOWNLOAD_TOKEN = "dl-token-1";
export const DOWNLOAD_BODY = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);

interface TinyState {
  accounts: SeedAccount[];
  certificates: Record<string, { status: number; accountId: string }>;
  purchases: Record<string, number>;
  records: { accountId: string; recordId: number; domain: string; value: string }[];
  issuanceDelay: number;
}

export interface TinyBackend extends EmulatorBackend {
  readonly state: TinyState;
}

export function createTinyBackend(): TinyBackend {
  let state: TinyState = {
    accounts: [ACCOUNT, TEMP_ACCOUNT],
    certificates: { cert0001: { status: 1, accountId: ACCOUNT.accountId } },
    purchases: {},
    records: [],
    issuanceDelay: 60,
  };
  const seed = (spec: SeedSpec): { certificateIds: string[]; packageIds: string[] } => {
    state.accounts.push(...(spec.accounts ?? []));
    const certificateIds = (spec.certificates ?? []).map((c, i) => {
      const id = c.certificateId ?? `seeded${i}`;
      state.certificates[id] = { status: c.status ?? 1, accountId: c.accountId ?? ACCOUNT.accountId };
      return id;
    });
    return { certificateIds, packageIds: [] };
  };
  const admin: BackendAdmin = {
    seed,
    seedPreset(name) {
      if (name !== "demo") throw new ApiError("InvalidParameter", `unknown preset ${name}`);
      return seed({ certificates: [{ certificateId: "demo0001", domain: "demo.example.com", status: 8 }] });
    },
    acceptLetter(certificateId) {
      const cert = state.certificates[certificateId];
      if (!cert) throw new ApiError("FailedOperation.CertificateNotFound", `no certificate ${certificateId}`);
      cert.status = 0;
    },
    failReview(certificateId) {
      const cert = state.certificates[certificateId];
      if (cert) cert.status = 2;
    },
    setIssuanceDelay(seconds) {
      state.issuanceDelay = seconds;
    },
    inspectCertificate(certificateId) {
      const cert = state.certificates[certificateId];
      return cert ? { ...cert } : undefined;
    },
    inspectZone(zone) {
      return state.records.filter((r) => r.domain === zone).map((r) => ({ ...r }));
    },
    inspectPackages(accountId) {
      return [{ accountId: accountId ?? ACCOUNT.accountId, purchases: state.purchases[accountId ?? ACCOUNT.accountId] ?? 0, issuanceDelay: state.issuanceDelay }];
    },
  };
  const backend: TinyBackend = {
    get state() {
      return state;
    },
    actions: {
      ssl: {
        DescribeCertificateDetail: ({ params, accountId }) => {
          const id = params["CertificateId"] as string;
          const cert = state.certificates[id];
          if (!cert || cert.accountId !== accountId) throw new ApiError("FailedOperation.CertificateNotFound", "证书不存在。");
          return { CertificateId: id, Status: cert.status };
        },
        DescribeCertificates: ({ params }) => ({ TotalCount: 0, Certificates: [], Echo: params }),
        CreateCertificateByPackage: ({ accountId }) => {
          const n = (state.purchases[accountId] ?? 0) + 1;
          state.purchases[accountId] = n;
          const id = `new${String(n).padStart(5, "0")}`;
          state.certificates[id] = { status: 5, accountId };
          return { CertificateId: id, CertificateIds: [id] };
        },
        EmulatorBoom: () => {
          throw new Error("boom");
        },
        EmulatorEcho: ({ params, now, baseUrl }) => ({ Params: params, Now: now().toISOString(), BaseUrl: baseUrl }),
      },
      dnspod: {
        CreateRecord: ({ params, accountId }) => {
          const recordId = state.records.length + 1;
          state.records.push({ accountId, recordId, domain: params["Domain"] as string, value: params["Value"] as string });
          return { RecordId: recordId };
        },
        DescribeRecordList: ({ params }) => {
          const list = state.records.filter((r) => r.domain === params["Domain"]);
          return { RecordCountInfo: { SubdomainCount: list.length, ListCount: list.length, TotalCount: list.length }, RecordList: list.map((r) => ({ RecordId: r.recordId, Value: r.value })) };
        },
      },
    },
    findAccountBySecretId: (secretId) => state.accounts.find((a) => a.secretId === secretId),
    admin,
    snapshot: () => JSON.parse(JSON.stringify(state)) as unknown,
    restore(snapshot) {
      state = JSON.parse(JSON.stringify(snapshot)) as TinyState;
    },
    downloads: {
      get: (token) => (token === DOWNLOAD_TOKEN ? { contentType: "application/zip", body: DOWNLOAD_BODY } : undefined),
    },
  };
  return backend;
}

/** A CreateBackend that also hands the created instance to the test. */
export function tinyBackendFactory(): { create: CreateBackend; instance: () => TinyBackend } {
  let created: TinyBackend | undefined;
  return {
    create: () => (created = createTinyBackend()),
    instance: () => {
      if (!created) throw new Error("tiny backend not created yet");
      return created;
    },
  };
}
