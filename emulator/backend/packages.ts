/** Benefit packages: checking and consuming points. */
import { ApiError } from "../contract";
import type { AccountState, PackageRecord } from "./state";

function statusAt(p: PackageRecord, now: Date): string {
  if (p.status === "usable" && Date.parse(p.expireTime) <= now.getTime()) return "expired";
  return p.status;
}

/** Checks that `packageIds` can pay `points`; throws Tencent's codes. Does not consume. */
export function checkPayment(account: AccountState, packageIds: readonly string[] | undefined, points: number, now: Date): PackageRecord[] {
  if (!packageIds || packageIds.length === 0 || packageIds.some((id) => typeof id !== "string" || id === "")) {
    throw new ApiError("InvalidParameter.PackageIdsInvalid", "PackageIds must list at least one benefit package id.");
  }
  const pkgs: PackageRecord[] = [];
  for (const id of new Set(packageIds)) {
    const p = account.packages[id];
    if (!p) throw new ApiError("FailedOperation.PackageNotFound", `The benefit package does not exist (PackageId ${JSON.stringify(id)}).`);
    const status = statusAt(p, now);
    if (status === "expired") throw new ApiError("FailedOperation.PackageExpired", `The benefit package has expired (PackageId ${id}).`);
    if (status !== "usable") throw new ApiError("InvalidParameter.PackageIdsInvalid", `The benefit package is not usable (PackageId ${id}, status ${status}).`);
    pkgs.push(p);
  }
  const balance = pkgs.reduce((s, p) => s + p.balance, 0);
  if (balance < points) {
    throw new ApiError("FailedOperation.PackageCountLimit", `Not enough benefit points: this order costs ${points}, the packages hold ${balance}.`);
  }
  return pkgs;
}

/** Consumes `points` from `pkgs` in order; an emptied package becomes `used`. */
export function consume(pkgs: readonly PackageRecord[], points: number, now: Date): void {
  let left = points;
  for (const p of pkgs) {
    if (left <= 0) break;
    const take = Math.min(p.balance, left);
    p.balance -= take;
    left -= take;
    p.updateTime = now.toISOString();
    if (p.balance === 0) p.status = "used";
  }
}
