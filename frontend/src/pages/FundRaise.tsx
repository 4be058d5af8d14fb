/**
 * Putting TAO into a fund: a mining fund's raise (its terms and progress; contribute while it is open, finalise once
 * it closed, then claim shares or take a refund) and the deposit at NAV of an allocator or an index (the fund's
 * preview of the shares, a minimum from the slippage setting).
 */
import { useState } from "react";
import { useBalance, useChainId, useConnection } from "wagmi";

import {
  type FundDetails,
  type RaiseState,
  canFinalize,
  claimSharesRequest,
  contributeRequest,
  depositRequest,
  finalizeRequest,
  fundsQueryKey,
  readDepositPreview,
  refundRequest,
  SHARE_UNITS,
  useDepositPreview,
} from "../data/funds.ts";
import { formatBps, formatDuration, formatSeconds, formatTao, formatTime, formatUnits18 } from "../lib/format.ts";
import { RAO_PER_TAO, weiToRaoDown } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { SlippageField } from "../ui/SlippageField.tsx";
import { allowlistProofFor, checkContribution, checkDeposit, hasAllowlist, minSharesOut } from "./fundForms.ts";
import { parseSlippageBps } from "./stakeForm.ts";

function useBalanceRao(): bigint | undefined {
  const chainId = useChainId();
  const { address } = useConnection();
  const balance = useBalance({ address, chainId, query: { enabled: Boolean(address) } });
  return address && balance.data ? weiToRaoDown(balance.data.value) : undefined;
}

/** The queries a write into a fund changes: every fund read, and the wallet's balance. */
const invalidatesOf = (chainId: number) => [fundsQueryKey(chainId), ["balance"]];

export function RaisePanel({ fund: d }: { fund: FundDetails }) {
  const chainId = useChainId();
  const raise = d.raise!;
  const now = d.timestamp;
  const contributed = d.account?.contributedRao ?? 0n;
  const open = raise.phase === "raising" && now >= raise.startTime && now < raise.endTime;
  const finalizable = canFinalize(raise, now);
  const sharesToClaim = contributed * (SHARE_UNITS / RAO_PER_TAO);
  return (
    <div className="card" data-testid="raise-panel">
      <h2>Raise</h2>
      <RaiseProgress raise={raise} nowSeconds={now} />
      <dl className="quote">
        <div>
          <dt>Raised</dt>
          <dd data-testid="raise-total">{formatTao(raise.totalRaisedRao)}</dd>
        </div>
        <div>
          <dt>Soft cap · hard cap</dt>
          <dd>
            {formatTao(raise.softCapRao)} · {formatTao(raise.hardCapRao)}
          </dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd>
            {formatTime(raise.startTime)} → {formatTime(raise.endTime)}
            {open && <div className="small muted">ends {formatDuration(Number(raise.endTime - now))} from now</div>}
          </dd>
        </div>
        <div>
          <dt>Per investor</dt>
          <dd>
            {formatTao(raise.minContributionRao)} to {formatTao(raise.maxContributionRao)}
          </dd>
        </div>
        <div>
          <dt>Allowlist</dt>
          <dd>{hasAllowlist(raise.allowlistRoot) ? "yes: only listed addresses may contribute" : "none: anyone"}</dd>
        </div>
        <div>
          <dt>Organization</dt>
          <dd>{organizationText(raise)}</dd>
        </div>
        <div>
          <dt>Shares</dt>
          <dd>1 per TAO contributed</dd>
        </div>
        {d.account && (
          <div>
            <dt>Your contribution</dt>
            <dd data-testid="raise-yours">
              {formatTao(contributed)}
              {raise.phase === "succeeded" && contributed > 0n && (
                <span className="muted"> · {d.account.sharesClaimed ? "shares claimed" : "shares to claim"}</span>
              )}
            </dd>
          </div>
        )}
      </dl>
      {open && <ContributeForm fund={d} />}
      {finalizable && (
        <>
          <p className="small muted">
            The raise is closed ({raise.totalRaisedRao >= raise.hardCapRao ? "hard cap reached" : "its end passed"}):
            anyone may finalise it. Below the soft cap every contributor takes a full refund.
          </p>
          <TxButton
            label="Finalise the raise"
            testId="finalize-button"
            summary={`Finalise the ${d.symbol} raise`}
            invalidates={invalidatesOf(chainId)}
            prepare={() => Promise.resolve(finalizeRequest(d.address))}
          />
        </>
      )}
      {raise.phase === "succeeded" && contributed > 0n && d.account && !d.account.sharesClaimed && (
        <TxButton
          label={`Claim ${formatUnits18(sharesToClaim)} shares`}
          testId="claim-shares-button"
          summary={`Claim ${formatUnits18(sharesToClaim)} ${d.symbol}`}
          invalidates={invalidatesOf(chainId)}
          prepare={() => Promise.resolve(claimSharesRequest(d.address))}
        />
      )}
      {raise.phase === "failed" && contributed > 0n && (
        <TxButton
          label={`Take back ${formatTao(contributed)}`}
          testId="refund-button"
          summary={`Refund of ${formatTao(contributed)} from ${d.symbol}`}
          invalidates={invalidatesOf(chainId)}
          prepare={() => Promise.resolve(refundRequest(d.address))}
        />
      )}
    </div>
  );
}

/** The organization's allocation and its vesting, in words. */
export function organizationText(
  raise: Pick<RaiseState, "organizationAllocationBps" | "vestingCliffSeconds" | "vestingDurationSeconds">,
): string {
  if (raise.organizationAllocationBps === 0) return "no allocation";
  const share = `${formatBps(raise.organizationAllocationBps)} of all shares`;
  if (raise.vestingDurationSeconds === 0n) return `${share}, vested at once`;
  const over = `vesting over ${formatSeconds(Number(raise.vestingDurationSeconds))}`;
  return raise.vestingCliffSeconds === 0n
    ? `${share}, ${over}`
    : `${share}, ${over} after a ${formatSeconds(Number(raise.vestingCliffSeconds))} cliff`;
}

function ContributeForm({ fund: d }: { fund: FundDetails }) {
  const chainId = useChainId();
  const { address } = useConnection();
  const balanceRao = useBalanceRao();
  const raise = d.raise!;
  const [amountText, setAmountText] = useState("");
  const [listText, setListText] = useState("");
  const allowlist = hasAllowlist(raise.allowlistRoot);
  const checked = checkContribution({
    amountText,
    raise,
    contributedRao: d.account?.contributedRao ?? 0n,
    balanceRao,
    nowSeconds: d.timestamp,
  });
  const proof =
    allowlist && address ? allowlistProofFor({ listText, root: raise.allowlistRoot, account: address }) : undefined;
  const blockedReason = !checked.ok ? checked.reason : proof && !proof.ok ? proof.reason : undefined;
  return (
    <form className="contribute" onSubmit={(e) => e.preventDefault()} aria-label="Contribute to the raise">
      <label className="field">
        <span>Contribution (TAO)</span>
        <input
          inputMode="decimal"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          placeholder="0.0"
          aria-invalid={amountText.trim() !== "" && !checked.ok}
          data-testid="contribute-amount"
        />
      </label>
      {allowlist && (
        <label className="field">
          <span>The allowlist the organizer published (addresses)</span>
          <textarea
            rows={3}
            value={listText}
            onChange={(e) => setListText(e.target.value)}
            aria-label="Allowlist addresses"
            data-testid="contribute-allowlist"
          />
        </label>
      )}
      {amountText.trim() !== "" && !checked.ok && (
        <p className="error" role="alert" data-testid="contribute-error">
          {checked.reason}
        </p>
      )}
      <TxButton
        label="Contribute"
        testId="contribute-button"
        blockedReason={blockedReason}
        summary={`Contribute ${amountText} TAO to ${d.symbol}`}
        invalidates={invalidatesOf(chainId)}
        prepare={() => {
          if (!checked.ok) throw new Error(checked.reason);
          if (proof && !proof.ok) throw new Error(proof.reason);
          return Promise.resolve(
            contributeRequest(d.address, { amountRao: checked.amountRao, proof: proof?.ok ? proof.proof : [] }),
          );
        }}
      />
    </form>
  );
}

export function DepositPanel({ fund: d, kind }: { fund: FundDetails; kind: "allocator" | "index" }) {
  const chainId = useChainId();
  const { address } = useConnection();
  const balanceRao = useBalanceRao();
  const [amountText, setAmountText] = useState("");
  const [slippageText, setSlippageText] = useState("0.5");
  const checked = checkDeposit({ amountText, balanceRao, isShutDown: d.isShutDown });
  const slippage = parseSlippageBps(slippageText);
  const preview = useDepositPreview(d.address, checked.ok ? checked.amountRao : undefined, d.blockNumber);
  const least = preview.data !== undefined && slippage.ok ? minSharesOut(preview.data, slippage.bps) : undefined;
  const blockedReason = !checked.ok
    ? checked.reason
    : !slippage.ok
      ? slippage.reason
      : preview.data === undefined
        ? "Waiting for the fund's preview…"
        : preview.data === 0n
          ? "This deposit would get no shares"
          : undefined;
  return (
    <div className="card" data-testid="deposit-panel">
      <h2>Deposit at NAV</h2>
      <p className="small muted">
        {kind === "index"
          ? "The index holds each subnet at its emission share; your TAO is invested at the next rebalance."
          : "The allocator's manager spreads deposits across subnets within each subnet's cap."}{" "}
        Shares are priced at NAV per share ({formatTao(d.sharePriceRaoPerShareWad)}), fees settled first.
      </p>
      <label className="field">
        <span>Amount (TAO)</span>
        <input
          inputMode="decimal"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          placeholder="0.0"
          aria-invalid={amountText.trim() !== "" && !checked.ok}
          data-testid="deposit-amount"
        />
      </label>
      <SlippageField value={slippageText} onChange={setSlippageText} testId="deposit-slippage" />
      {amountText.trim() !== "" && !checked.ok && (
        <p className="error" role="alert" data-testid="deposit-error">
          {checked.reason}
        </p>
      )}
      <dl className="quote">
        <div>
          <dt>You receive (fund preview)</dt>
          <dd data-testid="deposit-preview">
            {preview.data !== undefined ? `${formatUnits18(preview.data)} shares` : preview.isFetching ? "…" : "—"}
          </dd>
        </div>
        <div>
          <dt>At least</dt>
          <dd data-testid="deposit-minimum">{least !== undefined ? `${formatUnits18(least)} shares` : "—"}</dd>
        </div>
      </dl>
      <TxButton
        label="Deposit"
        testId="deposit-button"
        blockedReason={blockedReason}
        summary={`Deposit ${amountText} TAO into ${d.symbol}`}
        invalidates={invalidatesOf(chainId)}
        prepare={async (client) => {
          if (!address || !checked.ok || !slippage.ok) throw new Error(blockedReason ?? "Not ready");
          // The latest preview, so the minimum is not a block old.
          const fresh = await readDepositPreview(client, d.address, checked.amountRao);
          return depositRequest(d.address, kind, {
            amountRao: checked.amountRao,
            receiver: address,
            minSharesOut: minSharesOut(fresh, slippage.bps),
          });
        }}
      />
    </div>
  );
}

/** A raise's progress toward its hard cap, with the soft cap, and where it stands in its window. */
export function RaiseProgress({ raise, nowSeconds }: { raise: RaiseState; nowSeconds: bigint }) {
  const percent = raise.hardCapRao === 0n ? 0 : Number((raise.totalRaisedRao * 10_000n) / raise.hardCapRao) / 100;
  const state =
    raise.phase === "succeeded"
      ? "Raise succeeded"
      : raise.phase === "failed"
        ? "Raise failed: contributors take a refund"
        : nowSeconds < raise.startTime
          ? `Opens ${formatTime(raise.startTime)}`
          : nowSeconds >= raise.endTime || raise.totalRaisedRao >= raise.hardCapRao
            ? "Raise closed: waiting for finalisation"
            : `Raising until ${formatTime(raise.endTime)}`;
  return (
    <div className="raise" data-testid="raise-progress" data-phase={raise.phase}>
      <p className="small">
        <strong>{state}</strong> · {formatTao(raise.totalRaisedRao)} of {formatTao(raise.hardCapRao)} (soft cap{" "}
        {formatTao(raise.softCapRao)})
      </p>
      <progress
        max={100}
        value={percent}
        aria-label={`Raised ${percent.toFixed(2)} % of the hard cap`}
        data-testid="raise-bar"
      />
    </div>
  );
}
