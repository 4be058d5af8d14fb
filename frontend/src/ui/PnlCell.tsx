import type { Pnl } from "../lib/averageCost.ts";
import { formatTaoSigned } from "../lib/format.ts";

/** The two header cells of the columns `PnlCell` fills, after the value. */
export function CostPnlHeaders() {
  return (
    <>
      <th scope="col" className="num">
        Cost
      </th>
      <th scope="col" className="num">
        P&amp;L
      </th>
    </>
  );
}

/** A position's profit or loss at its value: unrealised, then what was realised, and a warning for uncosted shares. */
export function PnlCell({ pnl, testId }: { pnl: Pnl; testId: string }) {
  return (
    <td className="num" data-testid={testId}>
      <span className={pnl.unrealizedRao < 0n ? "error" : pnl.unrealizedRao > 0n ? "ok" : undefined}>
        {formatTaoSigned(pnl.unrealizedRao)}
      </span>
      {pnl.realizedRao !== 0n && <div className="small muted">{formatTaoSigned(pnl.realizedRao)} realised</div>}
      {!pnl.covered && <div className="small warn">some shares have no recorded cost</div>}
    </td>
  );
}
