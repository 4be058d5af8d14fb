/** Pieces the Epochs page and the Subnet page's epochs panel share: an epoch's state in words, the history table. */
import type { EpochRecord, EpochRow, SubnetEpochs } from "../data/epochs.ts";
import { potTotalAlphaRao } from "../data/epochs.ts";
import type { RecomputeProgress } from "../epochs/recompute.ts";
import { formatAlpha, formatBlocksAhead } from "../lib/format.ts";

/** The open epoch in words: waiting for a report, or in its challenge window, or finalisable. */
export function openEpochText(open: EpochRecord | undefined, head: bigint, blockSeconds: number): string {
  if (!open) return "none open";
  if (open.status === "Closed") {
    return `epoch ${open.epoch} closed at block ${open.snapshotBlock}, waiting for a report`;
  }
  if (open.status === "Submitted") {
    const deadline = BigInt(open.challengeDeadlineBlock);
    return deadline > head
      ? `epoch ${open.epoch}: report in, challenge window until block ${deadline} (${formatBlocksAhead(deadline - head, blockSeconds)})`
      : `epoch ${open.epoch}: report in, challenge window over at block ${deadline}, finalisable now`;
  }
  return `epoch ${open.epoch}: ${open.status}`;
}

/** When the next epoch can be closed, in words. */
export function nextDueText(s: SubnetEpochs, blockSeconds: number): string {
  if (s.blocksUntilDue === undefined) return "not emitting (no start call yet)";
  const when = s.blocksUntilDue <= 0n ? "due now" : formatBlocksAhead(s.blocksUntilDue, blockSeconds);
  const after = s.open ? `, after epoch ${s.open.epoch} is finalised` : "";
  return `block ${s.progress.nextDueBlock} · ${when}${after}`;
}

/** The pot split in words, for a title attribute. */
export function potBreakdown(r: EpochRecord): string {
  const p = r.pot;
  return (
    `owner cut ${formatAlpha(p.ownerCutAlphaRao)}, miners ${formatAlpha(p.serverAlphaRao)}, ` +
    `validators ${formatAlpha(p.validatorAlphaRao)}, root ${formatAlpha(p.rootAlphaRao)}`
  );
}

/** The newest epochs of a subnet: pot, what finalisation credited and recycled, claims, what is left to claim. */
export function EpochHistoryTable({ rows, caption }: { rows: readonly EpochRow[]; caption: string }) {
  if (rows.length === 0) return <p className="muted">No epoch closed yet.</p>;
  return (
    <div className="table-wrap">
      <table className="epochs-history" data-testid="epoch-history">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Snapshot
            </th>
            <th scope="col" className="num">
              Pot
            </th>
            <th scope="col" className="num">
              Credited at finalisation
            </th>
            <th scope="col" className="num">
              Claimed
            </th>
            <th scope="col" className="num">
              Recycled
            </th>
            <th scope="col" className="num">
              Left to claim
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ record, history }) => (
            <tr key={record.epoch} data-epoch={record.epoch} data-status={record.status}>
              <th scope="row">{record.epoch}</th>
              <td>
                {record.status}
                {history && history.vetoes.length > 0 && (
                  <span className="warn small"> · {history.vetoes.length} vetoed</span>
                )}
              </td>
              <td className="num">{record.snapshotBlock}</td>
              <td className="num" title={potBreakdown(record)}>
                {formatAlpha(potTotalAlphaRao(record.pot))}
              </td>
              <td className="num">{history?.finalised ? formatAlpha(history.finalised.creditedAlphaRao) : "—"}</td>
              <td className="num">
                {history && history.claims.length > 0
                  ? `${formatAlpha(history.claimedIncentiveAlphaRao)} (${history.claims.length})`
                  : "—"}
              </td>
              <td className="num">{history?.finalised ? formatAlpha(history.finalised.recycledAlphaRao) : "—"}</td>
              <td className="num">{record.status === "Finalised" ? formatAlpha(record.claimableAlphaRao) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Progress of an in-browser recomputation. */
export function RecomputeBar({ progress, subnet }: { progress: RecomputeProgress; subnet?: string }) {
  return (
    <div data-testid="recompute-progress">
      <p className="muted small">
        Recomputing {subnet ?? `subnet ${progress.netuid}`}, epoch {progress.epoch} ({progress.done} of {progress.total}
        ) from chain data…
      </p>
      <progress max={progress.total} value={progress.done} aria-label="Recomputing epochs from chain data" />
    </div>
  );
}
