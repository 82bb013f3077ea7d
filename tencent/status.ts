/**
 * The ONE table from Tencent's certificate `Status` numbers to engine phases
 * (reference §3.1). Nothing else in the code base interprets status numbers.
 */
import type { CertPhase } from "../engine/domain";

const STATUS_PHASES: ReadonlyMap<number, CertPhase> = new Map<number, CertPhase>([
  [0, "validating"], // 审核中: under review / pending validation
  [1, "issued"], // 已通过
  [2, "review-failed"], // 审核失败
  [3, "expired"], // 已过期
  [4, "validating"], // 自动添加DNS记录 / 已添加DNS记录: still validating
  [5, "awaiting-submission"], // 企业证书，待提交资料
  [6, "cancelling"], // 订单取消中
  [7, "cancelled"], // 已取消
  [8, "pending-letter"], // 已提交资料，待上传确认函 (human step)
  [9, "revoked"], // 证书吊销中
  [10, "revoked"], // 已吊销
  [11, "busy"], // 重颁发中
  [12, "revoked"], // 待上传吊销确认函
  [13, "busy"], // 免费证书待提交资料
  [14, "refunded"], // 证书已退款
  [15, "busy"], // 证书迁移中
]);

/** The engine phase of a Tencent `Status`; `unknown` for anything not in the table. */
export function phaseOfStatus(status: number): CertPhase {
  return STATUS_PHASES.get(status) ?? "unknown";
}
