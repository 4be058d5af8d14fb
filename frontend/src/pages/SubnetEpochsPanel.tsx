/**
 * The Subnet page's "Last epochs" panel: the subnet's settlement state and recent epochs (from the same reads and
 * events as the Epochs page), and the last finalised epoch per uid (incentive, alpha and root dividends; top miners
 * and validators), recomputed from chain data in the browser and checked against the chain's results root.
 */
import { useState } from "react";

import { dividendsAlphaRao, topMiners, topValidators, useEpochResults, type UidResult } from "../data/epochResults.ts";
import { useSubnetEpochs } from "../data/epochs.ts";
import type { Market } from "../data/markets.ts";
import { formatAlpha } from "../lib/format.ts";
import { describeError } from "../lib/units.ts";
import { CopyText } from "../ui/CopyText.tsx";
import { EpochHistoryTable, RecomputeBar, nextDueText, openEpochText } from "./EpochParts.tsx";

/** Uids shown before "show all". */
const UIDS_SHOWN = 12;

export function SubnetEpochsPanel({ market }: { market: Market }) {
  const { epochs, snapshot, error } = useSubnetEpochs({
    netuid: market.netuid,
    name: market.name,
    tempoBlocks: market.tempoBlocks,
  });
  const last = epochs?.lastFinalised;
  const target =
    epochs && last ? { netuid: market.netuid, generation: epochs.progress.generation, epoch: last.epoch } : undefined;
  const results = useEpochResults(target);
  const [showAll, setShowAll] = useState(false);

  return (
    <div className="card wide" aria-labelledby="epochs-title" data-testid="subnet-epochs">
      <h2 id="epochs-title">Last epochs</h2>
      {error && <p className="error">Epochs: {describeError(error)}</p>}
      {epochs && snapshot && (
        <dl className="stats">
          <div>
            <dt>Last finalised</dt>
            <dd data-testid="subnet-finalised-epoch">{epochs.progress.finalisedEpoch || "none yet"}</dd>
          </div>
          <div>
            <dt>Open epoch</dt>
            <dd>{openEpochText(epochs.open, snapshot.blockNumber, snapshot.blockSeconds)}</dd>
          </div>
          <div>
            <dt>Next epoch due</dt>
            <dd>{nextDueText(epochs, snapshot.blockSeconds)}</dd>
          </div>
        </dl>
      )}
      <p className="muted small">
        Pending for the next epoch: {formatAlpha(market.pendingServerAlphaRao)} to miners,{" "}
        {formatAlpha(market.pendingValidatorAlphaRao)} to validators, {formatAlpha(market.pendingRootAlphaRao)} to root
        stakers, {formatAlpha(market.pendingOwnerCutAlphaRao)} to the owner.
      </p>
      {epochs && <EpochHistoryTable rows={epochs.recent} caption={`The last epochs of ${market.name}`} />}

      {last && (
        <div className="uid-results">
          <h3>Epoch {last.epoch} per uid</h3>
          {results.progress && <RecomputeBar progress={results.progress} subnet={market.name} />}
          {results.isLoading && !results.progress && <progress aria-label="Recomputing the epoch" />}
          {results.error && <p className="error">{describeError(results.error)}</p>}
          {results.results && (
            <>
              <p className="muted small" data-testid="results-root-check">
                Recomputed from chain data: results root {results.results.resultsRoot.slice(0, 10)}… matches the chain.
              </p>
              <div className="tops">
                <TopList
                  title="Top miners"
                  rows={topMiners(results.results.leaves)}
                  value={(r) => r.incentiveAlphaRao}
                />
                <TopList
                  title="Top validators"
                  rows={topValidators(results.results.leaves)}
                  value={dividendsAlphaRao}
                />
              </div>
              <UidTable
                leaves={showAll ? results.results.leaves : results.results.leaves.slice(0, UIDS_SHOWN)}
                paid={results.results.paidAtFinalisationUids}
              />
              {results.results.leaves.length > UIDS_SHOWN && (
                <button type="button" className="link" onClick={() => setShowAll((v) => !v)}>
                  {showAll ? "Show fewer" : `Show all ${results.results.leaves.length} uids`}
                </button>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}

function TopList({ title, rows, value }: { title: string; rows: UidResult[]; value: (r: UidResult) => bigint }) {
  return (
    <div>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted small">none this epoch</p>
      ) : (
        <ol className="top-list" aria-label={title}>
          {rows.map((r) => (
            <li key={r.uid}>
              uid {r.uid} · {formatAlpha(value(r))}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function UidTable({ leaves, paid }: { leaves: readonly UidResult[]; paid: ReadonlySet<number> }) {
  return (
    <div className="table-wrap">
      <table data-testid="uid-results">
        <caption className="sr-only">Incentive and dividends per uid</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Uid
            </th>
            <th scope="col">Hotkey</th>
            <th scope="col" className="num">
              Incentive
            </th>
            <th scope="col" className="num">
              Alpha dividends
            </th>
            <th scope="col" className="num">
              Root dividends
            </th>
          </tr>
        </thead>
        <tbody>
          {leaves.map((l) => (
            <tr key={l.uid}>
              <th scope="row" className="num">
                {l.uid}
              </th>
              <td>
                <CopyText value={l.hotkey} label="hotkey" head={8} tail={4} />
              </td>
              <td className="num">{l.incentiveAlphaRao > 0n ? formatAlpha(l.incentiveAlphaRao) : "—"}</td>
              <td className="num" title={paid.has(l.uid) ? "paid at finalisation" : undefined}>
                {l.alphaDividendAlphaRao > 0n ? formatAlpha(l.alphaDividendAlphaRao) : "—"}
              </td>
              <td className="num">{l.rootDividendAlphaRao > 0n ? formatAlpha(l.rootDividendAlphaRao) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
