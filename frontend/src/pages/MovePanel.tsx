/**
 * Moving part of a vault position to another vault, to rebalance without leaving the chain: in kind, the stake moves
 * on the chain's ledger (no swap within a subnet, one swap across subnets); via TAO, it is unstaked and deposited (two
 * swaps), which works when a subnet's stake transfers are off. The owner sends it to the origin vault, so no approval
 * is needed. The quote is the move itself run as a call at the latest block; the slippage lowers it to the fewest
 * shares the move accepts.
 */
import { useState } from "react";
import { useChainId, useConnection } from "wagmi";

import { useMoveQuote, migrateRequest, readMoveQuote } from "../data/liquid.ts";
import { type VaultPosition, valueAtMovingPriceRao, vaultExitQueryKeys } from "../data/portfolio.ts";
import { chainTime } from "../data/staking.ts";
import { formatTao, formatUnits18, shortHex } from "../lib/format.ts";
import { deadlineFromChain, describeError } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { PayoutTabs } from "../ui/PayoutTabs.tsx";
import { PercentField } from "../ui/PercentField.tsx";
import { SlippageField } from "../ui/SlippageField.tsx";
import { type MoveTarget, checkMove, minOut } from "./redeemForm.ts";
import { parseSlippageBps } from "./stakeForm.ts";

export function MovePanel({ position: v, targets }: { position: VaultPosition; targets: readonly MoveTarget[] }) {
  const chainId = useChainId();
  const { address } = useConnection();
  const [targetVault, setTargetVault] = useState<string>("");
  const target = targets.find((t) => t.vault === targetVault);
  const [viaTao, setViaTao] = useState(!v.transfersEnabled);
  const [percentText, setPercentText] = useState("100");
  const [slippageText, setSlippageText] = useState("1");
  const checked = checkMove({
    percentText,
    shares: v.shares,
    maxShares: viaTao ? v.maxRedeemShares : v.maxRedeemInKindShares,
    viaTao,
    sourceTransfersEnabled: v.transfersEnabled,
    target,
  });
  const slippage = parseSlippageBps(slippageText);
  const call =
    checked.ok && target && address
      ? { fromVault: v.vault, toVault: target.vault, shares: checked.shares, owner: address, viaTao }
      : undefined;
  const quote = useMoveQuote(call);
  const minimum = quote.data !== undefined && slippage.ok ? minOut(quote.data.shares, slippage.bps) : undefined;
  // What leaves: the shares' alpha at the origin's moving price (a dissolved vault's part of its TAO).
  const leavingRao = checked.ok && v.shares > 0n ? (v.valueRao * checked.shares) / v.shares : undefined;
  const blockedReason = !checked.ok
    ? checked.reason
    : !slippage.ok
      ? slippage.reason
      : quote.error
        ? `The move would fail: ${describeError(quote.error)}`
        : quote.data === undefined
          ? "Waiting for the quote…"
          : quote.data.shares === 0n
            ? "This move would give no shares"
            : undefined;

  return (
    <div className="card" data-testid="move-panel">
      <h2>
        Move {v.name} <span className="muted">#{v.netuid}</span>
      </h2>
      <label className="field">
        <span>To the vault</span>
        <select
          value={targetVault}
          onChange={(e) => setTargetVault(e.target.value)}
          aria-label="Vault to move to"
          data-testid="move-target"
        >
          <option value="">Choose a vault…</option>
          {targets.map((t) => (
            <option key={t.vault} value={t.vault}>
              {t.name} #{t.netuid} · validator {shortHex(t.hotkey)}
            </option>
          ))}
        </select>
      </label>
      {targets.length === 0 && (
        <p className="muted">
          No other vault yet. <a href="#/allocate">Allocate</a> to a subnet to create its vault.
        </p>
      )}
      <PayoutTabs
        label="Move in kind or through TAO"
        inKindLabel="In kind (stake moves)"
        taoLabel="Via TAO (unstake, deposit)"
        inKind={!viaTao}
        onChange={(inKind) => setViaTao(!inKind)}
        testIds={{ tao: "move-via-tao", inKind: "move-in-kind" }}
      />
      <PercentField
        label="Part of the position (%)"
        ariaLabel="Percent of the position to move"
        value={percentText}
        onChange={setPercentText}
        testId="move-percent"
      />
      <SlippageField value={slippageText} onChange={setSlippageText} testId="move-slippage" />
      {(target !== undefined || percentText.trim() !== "100") && !checked.ok && (
        <p className="error" role="alert" data-testid="move-error">
          {checked.reason}
        </p>
      )}
      <dl className="quote">
        <div>
          <dt>Leaving (moving price)</dt>
          <dd>{leavingRao !== undefined ? formatTao(leavingRao) : "—"}</dd>
        </div>
        <div>
          <dt>You receive</dt>
          <dd data-testid="move-quote">
            {quote.data !== undefined && call
              ? `${formatUnits18(quote.data.shares)} shares`
              : quote.isFetching
                ? "…"
                : "—"}
          </dd>
        </div>
        <div>
          <dt>At least</dt>
          <dd data-testid="move-minimum">{minimum !== undefined && call ? `${formatUnits18(minimum)} shares` : "—"}</dd>
        </div>
        {target && quote.data !== undefined && call && (
          <div>
            <dt>Arriving (moving price)</dt>
            <dd data-testid="move-value">
              {formatTao(valueAtMovingPriceRao(quote.data.alphaRao, target.movingPriceWad))}
            </dd>
          </div>
        )}
      </dl>
      <TxButton
        label={viaTao ? "Move via TAO" : "Move in kind"}
        testId="move-button"
        blockedReason={blockedReason}
        summary={`Move ${checked.ok && checked.shares === v.shares ? "all" : `${percentText} %`} of ${v.name} vault to ${target?.name ?? "another vault"}`}
        invalidates={vaultExitQueryKeys(chainId, address)}
        prepare={async (client) => {
          if (!call || !slippage.ok) throw new Error(blockedReason ?? "Not ready");
          // The latest quote, so the minimum is not a block old.
          const fresh = await readMoveQuote(client, call);
          const deadline = deadlineFromChain(await chainTime(client), 20 * 60);
          return migrateRequest({ ...call, minSharesOut: minOut(fresh.shares, slippage.bps), deadline });
        }}
      />
    </div>
  );
}
