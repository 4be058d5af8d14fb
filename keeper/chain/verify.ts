/**
 * `keeper verify`: recomputes a submitted or finalised epoch's report from public chain data alone (the snapshot
 * at its block, the state replayed from the earlier epochs) and compares it with what the chain accepted, bit for
 * bit: the EIP-712 digest the epoch record holds, and field by field the report in the submission's calldata (or, when
 * the calldata cannot be read, the fields the `SubmitReport` event carries: generation, inputs hash, results root and
 * state hash).
 */
import type { Hex } from "viem";

import { reportDifferences, reportDigest, type Report } from "../core/index.ts";
import { buildEpochReport, EpochStateError, type EpochContext } from "./epochs.ts";

export interface Verification {
  readonly netuid: number;
  readonly generation: number;
  readonly epoch: number;
  readonly status: string;
  readonly match: boolean;
  readonly recomputedDigest: Hex;
  readonly acceptedDigest: Hex;
  /** Report fields that differ from the submitted report (from its event alone when the calldata is unavailable). */
  readonly differences: readonly string[];
  readonly recomputed: Report;
  readonly accepted?: Report;
}

export async function verifyEpoch(
  ctx: EpochContext,
  netuid: number,
  epoch: number,
  generation?: number,
): Promise<Verification> {
  const gen = generation ?? (await ctx.reader.progress(netuid)).generation;
  const record = await ctx.reader.epochRecord(netuid, gen, epoch);
  if (record.status !== "Submitted" && record.status !== "Finalised") {
    throw new EpochStateError(
      `epoch ${epoch} of netuid ${netuid} has no accepted report (status ${record.status}): nothing to verify`,
    );
  }
  const built = await buildEpochReport(ctx, netuid, gen, epoch, record);
  const submitted = await ctx.reader.submittedReport(netuid, epoch, record.reportDigest, record.snapshotBlock);
  const recomputedDigest = reportDigest(built.report);
  let differences: string[] = [];
  if (submitted?.report) differences = reportDifferences(built.report, submitted.report);
  else if (submitted) {
    const r = built.report;
    const fromEvent = [
      ["generation", r.generation === submitted.generation],
      ["inputsHash", r.inputsHash === submitted.inputsHash],
      ["resultsRoot", r.resultsRoot === submitted.resultsRoot],
      ["stateHash", r.stateHash === submitted.stateHash],
    ] as const;
    differences = fromEvent.filter(([, same]) => !same).map(([field]) => field);
  }
  return {
    netuid,
    generation: gen,
    epoch,
    status: record.status,
    match: recomputedDigest === record.reportDigest && differences.length === 0,
    recomputedDigest,
    acceptedDigest: record.reportDigest,
    differences,
    recomputed: built.report,
    ...(submitted?.report ? { accepted: submitted.report } : {}),
  };
}
