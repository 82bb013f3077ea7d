/**
 * The canary of a first real renewal (`tccert renew <id> --canary`): show what would be paid before
 * paying, then watch what Tencent does right after the paid call. At about 0 s, 5 s, 30 s and 5 min
 * after it (on the engine's clock, with the engine's sleep), it reads the new order and the old
 * certificate raw (read actions only, through `TencentProbe`) and keeps the order's `Status`,
 * `StatusMsg`, `VerifyType`, `DvAuths` and both certificates' link fields. The renewal itself runs
 * exactly as any renewal does (its payment journaled with the balances read just before paying:
 * pay.ts `withBaseline`); the canary never deploys.
 */
import type { EngineDeps } from "./deps";
import { at, numberAt, objects, text } from "./doctor-raw";
import type { DoctorDeps } from "./doctor-types";
import type { ResolvedOptions } from "./options";
import { ensureRenewedUnblocked } from "./pending";
import { planRenewal, type RenewalPlan } from "./plan";
import type { SslApi } from "./ports";
import type { RawAnswer, RawObject } from "./probe-port";
import type { RenewalResult } from "./result";

/** @default seconds after the paid call at which the canary looks: 0, 5, 30 and 300 */
export const DEFAULT_CANARY_SAMPLES: readonly number[] = [0, 5, 30, 300];

export interface CanaryPlan {
  readonly plan: RenewalPlan;
  /** The account's usable packages and balances, read now (before paying). */
  readonly balances: readonly { readonly packageId: string; readonly balance: number }[];
}

/** What would be paid, and the balances now. Read-only. */
export async function planCanary(deps: EngineDeps, opts: ResolvedOptions): Promise<CanaryPlan> {
  const plan = await planRenewal(deps, opts);
  const packages = plan.payment ? await deps.ssl.listPackages() : [];
  return { plan, balances: packages.map((p) => ({ packageId: p.packageId, balance: p.balance })) };
}

export interface CanarySample {
  /** Seconds after the paid call this sample was planned for. */
  readonly atSeconds: number;
  readonly takenAt: string;
  /** The new order, from `DescribeCertificateDetail`. */
  readonly order: {
    readonly status: number | null;
    readonly statusMsg: string;
    readonly verifyType: string;
    readonly dvAuths: readonly { readonly domain: string; readonly key: string; readonly value: string; readonly type: string }[];
    readonly originCertificateId: string;
    readonly hasRenewOrder: string;
  };
  /** The old certificate's side of the link. */
  readonly old: { readonly renewOrder: string; readonly hasRenewOrder: string; readonly renewAble: string };
  /** Reads that failed, `Action: code`. */
  readonly errors: readonly string[];
}

export interface CanaryObservation {
  readonly oldCertificateId: string;
  /** "" when the paid call gave no id (then nothing was observed). */
  readonly newCertificateId: string;
  /** When the paid call was sent, ISO (the engine's clock). */
  readonly paidAt: string;
  readonly samples: readonly CanarySample[];
  /** Every raw answer read (NOT redacted: redact before writing). */
  readonly answers: readonly RawAnswer[];
}

function rowOf(list: RawAnswer, id: string): RawObject | null {
  return objects(list.output, "Certificates").find((r) => text(r, "CertificateId") === id) ?? null;
}

/** One look at the order and the old certificate. */
async function sample(probe: DoctorDeps, oldId: string, newId: string, atSeconds: number, answers: RawAnswer[]): Promise<CanarySample> {
  const takenAt = probe.clock.now().toISOString();
  const read = async (action: string, input: RawObject) => {
    const a = await probe.probe.read("ssl", action, input);
    answers.push(a);
    return a;
  };
  const order = await read("DescribeCertificateDetail", { CertificateId: newId });
  const old = await read("DescribeCertificateDetail", { CertificateId: oldId });
  const list = await read("DescribeCertificates", { CertIds: [oldId, newId], Offset: 0, Limit: 10 });
  const o = order.output;
  return {
    atSeconds,
    takenAt,
    order: {
      status: numberAt(o, "Status"),
      statusMsg: text(o, "StatusMsg"),
      verifyType: text(o, "VerifyType"),
      dvAuths: objects(o, "DvAuthDetail.DvAuths").map((d) => ({ domain: text(d, "DvAuthDomain"), key: text(d, "DvAuthKey"), value: text(d, "DvAuthValue"), type: text(d, "DvAuthVerifyType") })),
      originCertificateId: text(o, "CertificateExtra.OriginCertificateId"),
      hasRenewOrder: text(rowOf(list, newId), "HasRenewOrder"),
    },
    old: { renewOrder: text(old.output, "CertificateExtra.RenewOrder"), hasRenewOrder: text(rowOf(list, oldId), "HasRenewOrder"), renewAble: String(at(old.output, "RenewAble") ?? "") },
    errors: [order, old, list].filter((a) => a.error !== null).map((a) => `${a.action}: ${a.error?.code ?? ""}`),
  };
}

/** Looks at `sampleAtSeconds` after `paidAtMs`, sleeping in between with the engine's sleep. */
export async function observeOrder(
  deps: Pick<EngineDeps, "sleep">,
  probe: DoctorDeps,
  ids: { readonly oldCertificateId: string; readonly newCertificateId: string; readonly paidAtMs: number },
  sampleAtSeconds: readonly number[] = DEFAULT_CANARY_SAMPLES,
  signal?: AbortSignal,
): Promise<CanaryObservation> {
  const answers: RawAnswer[] = [];
  const samples: CanarySample[] = [];
  for (const s of sampleAtSeconds) {
    const wait = ids.paidAtMs + s * 1000 - probe.clock.now().getTime();
    if (wait > 0) await deps.sleep(wait, signal);
    samples.push(await sample(probe, ids.oldCertificateId, ids.newCertificateId, s, answers));
  }
  return { oldCertificateId: ids.oldCertificateId, newCertificateId: ids.newCertificateId, paidAt: new Date(ids.paidAtMs).toISOString(), samples, answers };
}

export interface CanaryRun {
  /** The renewal's result, or null when it failed (then `error`). */
  readonly result: RenewalResult | null;
  readonly error: unknown;
  /** null when no paid call answered with an id in this run. */
  readonly observation: CanaryObservation | null;
}

/** `ssl` that reports each paid call's answer (its new id and when it was sent). */
function watchPayment(ssl: SslApi, clock: EngineDeps["clock"], onPaid: (oldId: string, newId: string, sentAtMs: number) => void): SslApi {
  return new Proxy(ssl, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== "renewByPackage" || typeof value !== "function") return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return async (request: Parameters<SslApi["renewByPackage"]>[0]) => {
        const sentAt = clock.now().getTime();
        const id = await (value as SslApi["renewByPackage"]).call(target, request);
        onPaid(request.oldCertificateId, id, sentAt);
        return id;
      };
    },
  });
}

/**
 * Renew `opts.certificateId` once (no deployment: `opts.deploy` must be empty), observing the order
 * from the paid call on. Waits for the last sample even when the renewal ends earlier.
 */
export async function renewWithCanary(deps: EngineDeps, probe: DoctorDeps, opts: ResolvedOptions, sampleAtSeconds: readonly number[] = DEFAULT_CANARY_SAMPLES, owner = "tccert renew --canary"): Promise<CanaryRun> {
  let observing: Promise<CanaryObservation> | null = null;
  const ssl = watchPayment(deps.ssl, deps.clock, (oldCertificateId, newCertificateId, paidAtMs) => {
    observing ??= observeOrder(deps, probe, { oldCertificateId, newCertificateId, paidAtMs }, sampleAtSeconds);
  });
  let result: RenewalResult | null = null;
  let error: unknown = null;
  try {
    result = await ensureRenewedUnblocked({ ...deps, ssl }, { ...opts, deploy: [] }, { owner });
  } catch (e) {
    error = e;
  }
  const observation = observing === null ? null : await (observing as Promise<CanaryObservation>);
  return { result, error, observation };
}
