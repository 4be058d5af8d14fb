/**
 * Epochs: per subnet, the last closed and finalised epoch, the open epoch (waiting for a report, or in its challenge
 * window), when the next one is due, the last epochs' pots and what they paid, and the credits the connected
 * account's hotkeys (or any hotkey typed in) can claim.
 */
import { useState } from "react";
import type { Hex } from "viem";
import { useChainId, useConnection } from "wagmi";

import { chainName } from "../config/chains.ts";
import { useContracts } from "../data/contracts.ts";
import { type CreditCandidate, claimBatchRequest, claimRequest, creditsQueryKey, useCredits } from "../data/credits.ts";
import { type EpochsSnapshot, epochsQueryKey, potTotalAlphaRao, useEpochs } from "../data/epochs.ts";
import { marketsQueryKey } from "../data/markets.ts";
import { positionKeysQueryKey } from "../data/positions.ts";
import { formatAlpha, shortHex } from "../lib/format.ts";
import { coldkeyOf, describeError } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { CopyText } from "../ui/CopyText.tsx";
import { type CreditBatch, checkClaim, creditBatches, parseHotkey } from "./claimForm.ts";
import { EpochHistoryTable, RecomputeBar, nextDueText, openEpochText, potBreakdown } from "./EpochParts.tsx";

export function EpochsPage() {
  const { chainId, deployed, snapshot, isLoading, error } = useEpochs();
  if (!deployed) {
    return (
      <section>
        <h1>Epochs</h1>
        <p className="banner">
          Alpha Markets has no contracts on {chainName(chainId)} yet. Pick the local chain (run <code>npm start</code>)
          in the network menu.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="epochs-title">
      <div className="page-head">
        <h1 id="epochs-title">Epochs</h1>
        <p className="muted" data-testid="epochs-summary">
          {snapshot
            ? `${snapshot.subnets.length} subnets · block ${snapshot.blockNumber}` +
              (snapshot.historyThroughBlock !== undefined
                ? ` · events read through block ${snapshot.historyThroughBlock}`
                : "")
            : "Loading…"}
        </p>
      </div>
      {error && <p className="error">Could not read the epochs: {describeError(error)}</p>}
      {isLoading && !snapshot && <progress aria-label="Loading the epochs" />}
      {snapshot && <EpochsTable snapshot={snapshot} />}
      {snapshot && (
        <div className="grid">
          <CreditsCard snapshot={snapshot} />
          <HistoryCard snapshot={snapshot} />
        </div>
      )}
    </section>
  );
}

function EpochsTable({ snapshot }: { snapshot: EpochsSnapshot }) {
  return (
    <div className="table-wrap">
      <table className="epochs" data-testid="epochs-table">
        <caption className="sr-only">Each subnet's epoch settlement</caption>
        <thead>
          <tr>
            <th scope="col">Subnet</th>
            <th scope="col" className="num">
              Tempo
            </th>
            <th scope="col" className="num">
              Last closed
            </th>
            <th scope="col" className="num">
              Last finalised
            </th>
            <th scope="col">Open epoch</th>
            <th scope="col">Next epoch due</th>
            <th scope="col" className="num">
              Last settled pot
            </th>
          </tr>
        </thead>
        <tbody>
          {snapshot.subnets.map((s) => (
            <tr key={s.netuid} data-netuid={s.netuid}>
              <th scope="row">
                <a href={`#/subnet/${s.netuid}`}>{s.name}</a> <span className="muted">#{s.netuid}</span>
              </th>
              <td className="num">{s.tempoBlocks}</td>
              <td className="num" data-testid="closed-epoch">
                {s.progress.closedEpoch || "—"}
              </td>
              <td className="num" data-testid="finalised-epoch">
                {s.progress.finalisedEpoch || "—"}
              </td>
              <td className="wrap" data-testid="open-epoch">
                {openEpochText(s.open, snapshot.blockNumber, snapshot.blockSeconds)}
              </td>
              <td className="wrap" data-testid="next-due">
                {nextDueText(s, snapshot.blockSeconds)}
              </td>
              <td className="num" title={s.lastFinalised ? potBreakdown(s.lastFinalised) : undefined}>
                {s.lastFinalised ? formatAlpha(potTotalAlphaRao(s.lastFinalised.pot)) : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HistoryCard({ snapshot }: { snapshot: EpochsSnapshot }) {
  const settled = snapshot.subnets.filter((s) => s.progress.closedEpoch > 0);
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const subnet = snapshot.subnets.find((s) => s.netuid === chosen) ?? settled[0] ?? snapshot.subnets[0];
  return (
    <div className="card wide" aria-labelledby="history-title">
      <h2 id="history-title">Last epochs</h2>
      {subnet ? (
        <>
          <label className="field">
            <span>Subnet</span>
            <select
              value={subnet.netuid}
              onChange={(e) => setChosen(Number(e.target.value))}
              aria-label="Subnet whose epochs to show"
              data-testid="history-subnet"
            >
              {snapshot.subnets.map((s) => (
                <option key={s.netuid} value={s.netuid}>
                  {s.name} #{s.netuid} ({s.progress.finalisedEpoch} finalised)
                </option>
              ))}
            </select>
          </label>
          <EpochHistoryTable rows={subnet.recent} caption={`The last epochs of ${subnet.name}`} />
          <p className="muted small">
            Pot: what closing the epoch set aside (hover for the split). Credited: the owner cut and the validators'
            dividends paid at finalisation. Claimed: miners' incentive claimed with proofs. Recycled: what the report
            left of the pot.
          </p>
        </>
      ) : (
        <p className="muted">No subnet yet.</p>
      )}
    </div>
  );
}

function CreditsCard({ snapshot }: { snapshot: EpochsSnapshot }) {
  const { address } = useConnection();
  const coldkey = address ? coldkeyOf(address) : undefined;
  const [typedText, setTypedText] = useState("");
  const [typed, setTyped] = useState<Hex[]>([]);
  const [typedError, setTypedError] = useState<string | undefined>(undefined);
  const { credits, claimed, scan, progress, isLoading, error, rescan } = useCredits(snapshot, coldkey, typed);
  const batches = credits ? creditBatches(credits) : [];

  const add = () => {
    const parsed = parseHotkey(typedText);
    if (!parsed.ok) {
      setTypedError(parsed.reason);
      return;
    }
    setTypedError(undefined);
    setTyped((list) => (list.includes(parsed.hotkey) ? list : [...list, parsed.hotkey]));
    setTypedText("");
  };

  return (
    <div className="card wide" aria-labelledby="credits-title">
      <h2 id="credits-title">Claim credits</h2>
      <p className="muted small">
        {coldkey
          ? "Unclaimed results of finalised epochs for the hotkeys your account owns"
          : "Connect a wallet to see your hotkeys' credits"}
        {", and for any hotkey you add (anyone may claim for a neuron: the stake goes to its owner)."}
      </p>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <span>Add a hotkey</span>
        <div className="row">
          <input
            value={typedText}
            onChange={(e) => setTypedText(e.target.value)}
            placeholder="0x… account id or EVM address"
            aria-label="Hotkey to look up (account id or EVM address)"
            aria-invalid={typedError !== undefined}
            autoComplete="off"
            spellCheck={false}
            data-testid="hotkey-input"
          />
          <button type="submit">Add</button>
        </div>
        {typedError && (
          <small className="error" role="alert" data-testid="hotkey-error">
            {typedError}
          </small>
        )}
      </form>
      {typed.length > 0 && (
        <ul className="chips" aria-label="Hotkeys added">
          {typed.map((h) => (
            <li key={h}>
              <code title={h}>{shortHex(h, 8, 6)}</code>
              <button
                type="button"
                className="link"
                aria-label={`Remove hotkey ${h}`}
                onClick={() => setTyped((list) => list.filter((x) => x !== h))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {progress && <RecomputeBar progress={progress} subnet={progress.subnet} />}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}{" "}
          <button type="button" className="link" onClick={() => void rescan()}>
            Try again
          </button>
        </p>
      )}
      {scan && (
        <p className="muted small" data-testid="credits-scan">
          {scan.subnetsScanned === 0
            ? "None of these hotkeys is a neuron of a subnet with settled epochs."
            : `${scan.subnetsScanned} subnet${scan.subnetsScanned === 1 ? "" : "s"} with these hotkeys · ${scan.epochsRecomputed} epoch${scan.epochsRecomputed === 1 ? "" : "s"} with open claims recomputed from chain data, matching the chain's results roots`}
        </p>
      )}
      {isLoading && !progress && !credits && <progress aria-label="Looking for credits" />}
      {credits && credits.length === 0 && scan && scan.subnetsScanned > 0 && (
        <p data-testid="no-credits">Nothing left to claim.</p>
      )}
      {batches.length > 0 && (
        <div className="claim-batches" data-testid="credit-batches">
          {batches.map((b) => (
            <CreditBatchButton key={`${b.netuid}/${b.epoch}`} batch={b} />
          ))}
        </div>
      )}
      {credits && credits.length > 0 && (
        <div className="table-wrap">
          <table className="credits" data-testid="credits">
            <caption className="sr-only">Unclaimed credits</caption>
            <thead>
              <tr>
                <th scope="col">Subnet</th>
                <th scope="col" className="num">
                  Epoch
                </th>
                <th scope="col" className="num">
                  Uid
                </th>
                <th scope="col">Hotkey</th>
                <th scope="col" className="num">
                  Incentive
                </th>
                <th scope="col" className="num">
                  Dividends due
                </th>
                <th scope="col">Stake goes to</th>
                <th scope="col">Claim</th>
              </tr>
            </thead>
            <tbody>
              {credits.map((c) => (
                <CreditRow key={`${c.netuid}/${c.epoch}/${c.uid}`} credit={c} mine={c.ownerColdkey === coldkey} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {claimed && claimed.length > 0 && (
        <p className="muted small" data-testid="claimed-count">
          {claimed.length} credit{claimed.length === 1 ? "" : "s"} of these hotkeys claimed.
        </p>
      )}
      <p className="muted small">
        The chain keeps only each epoch's results root: the leaves and their proofs are recomputed here from public
        chain data with the keepers' own engine (loaded when needed), and used only when they give the chain's root.
      </p>
    </div>
  );
}

function CreditRow({ credit: c, mine }: { credit: CreditCandidate; mine: boolean }) {
  const chainId = useChainId();
  const { contracts } = useContracts();
  const { address } = useConnection();
  const check = checkClaim({ credit: c, claimed: false, epochClaimableAlphaRao: c.epochClaimableAlphaRao });
  const dividends = c.alphaDividendAlphaRao + c.rootDividendAlphaRao;
  return (
    <tr data-testid="credit" data-netuid={c.netuid} data-epoch={c.epoch} data-uid={c.uid} data-hotkey={c.hotkey}>
      <th scope="row">
        {c.subnetName} <span className="muted">#{c.netuid}</span>
      </th>
      <td className="num">{c.epoch}</td>
      <td className="num">{c.uid}</td>
      <td>
        <CopyText value={c.hotkey} label="hotkey" head={8} tail={6} />
      </td>
      <td className="num">{formatAlpha(c.incentiveAlphaRao)}</td>
      <td className="num" title={dividends > 0n && !c.dividendsDue ? "paid at finalisation" : undefined}>
        {c.dividendsDue && dividends > 0n ? formatAlpha(dividends) : "—"}
      </td>
      <td>{mine ? "you" : <CopyText value={c.ownerColdkey} label="owner coldkey" head={8} tail={6} />}</td>
      <td className="wrap claim-cell">
        <TxButton
          label={`Claim ${formatAlpha(c.amountAlphaRao)}`}
          testId={`claim-${c.netuid}-${c.epoch}-${c.uid}`}
          blockedReason={check.ok ? undefined : check.reason}
          summary={`Claim ${formatAlpha(c.amountAlphaRao)} on ${c.subnetName} (epoch ${c.epoch}, uid ${c.uid})`}
          invalidates={claimInvalidates(chainId, c.netuid, address)}
          prepare={() => {
            if (!contracts) throw new Error("No Alpha Markets contracts on this network");
            return Promise.resolve(claimRequest(contracts, c));
          }}
        />
      </td>
    </tr>
  );
}

/** One call that claims several credits of the same epoch: their fixed costs are paid once. */
function CreditBatchButton({ batch: b }: { batch: CreditBatch }) {
  const chainId = useChainId();
  const { contracts } = useContracts();
  const { address } = useConnection();
  const what = `${b.credits.length} credits of ${b.subnetName} epoch ${b.epoch}`;
  return (
    <TxButton
      label={`Claim all ${what} (${formatAlpha(b.amountAlphaRao)})`}
      testId={`claim-batch-${b.netuid}-${b.epoch}`}
      summary={`Claim ${formatAlpha(b.amountAlphaRao)}: ${what} (uids ${b.credits.map((c) => c.uid).join(", ")})`}
      invalidates={claimInvalidates(chainId, b.netuid, address)}
      prepare={() => {
        if (!contracts) throw new Error("No Alpha Markets contracts on this network");
        return Promise.resolve(claimBatchRequest(contracts, b));
      }}
    />
  );
}

/** What a claim changes: the credits and epochs, the subnet's market, and the receiving account's positions. */
function claimInvalidates(chainId: number, netuid: number, address: Hex | undefined) {
  return [
    creditsQueryKey(chainId),
    epochsQueryKey(chainId),
    marketsQueryKey(chainId),
    ["subnet", chainId, netuid],
    ["balance"],
    ["portfolio", chainId], // the positions and their cost books
    positionKeysQueryKey(chainId, address ? coldkeyOf(address) : undefined),
  ];
}
