/**
 * Leaving a fund: the account's shares and what they are worth, a redemption request (in TAO or in kind) and the
 * requests it made, followed through the queue (in notice until its end, then ready for anyone to process, then paid
 * or cancelled), with the TAO and the alpha the fund owes it.
 */
import { useState } from "react";
import { useChainId, useConnection } from "wagmi";

import { useContracts } from "../data/contracts.ts";
import type { Redemption } from "../data/fundActivity.ts";
import {
  type FundDetails,
  type FundOverview,
  cancelRedemptionRequest,
  claimStakeRequest,
  claimTaoRequest,
  fundsQueryKey,
  processRedemptionsRequest,
  requestRedemptionRequest,
  sellClaimedStakeRequest,
  sharesValueRao,
} from "../data/funds.ts";
import { positionKeysQueryKey } from "../data/positions.ts";
import { formatAlpha, formatDuration, formatSeconds, formatTao, formatTime, formatUnits18 } from "../lib/format.ts";
import { coldkeyOf } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { PayoutTabs } from "../ui/PayoutTabs.tsx";
import { PercentField } from "../ui/PercentField.tsx";
import { useWalletMenu } from "../wallet/WalletMenu.tsx";
import { checkRedemptionRequest } from "./fundForms.ts";
import { minOut } from "./redeemForm.ts";

/** Queues processed in one call at most: the cost per request is constant, a batch is bounded. */
const MAX_BATCH = 50n;

export function AccountFundPanel({ fund: d, redemptions }: { fund: FundDetails; redemptions: readonly Redemption[] }) {
  const chainId = useChainId();
  const wallet = useWalletMenu();
  const { contracts } = useContracts();
  const { address } = useConnection();
  if (!d.account || !address) {
    return (
      <div className="card" data-testid="fund-account">
        <h2>Your shares</h2>
        <p className="muted">
          Connect a wallet to see your shares and redemptions.{" "}
          <button type="button" className="link" onClick={wallet.open}>
            Connect
          </button>
        </p>
      </div>
    );
  }
  const queued = redemptions.reduce((a, r) => a + r.remainingShares, 0n);
  const invalidates = [fundsQueryKey(chainId), ["balance"], positionKeysQueryKey(chainId, coldkeyOf(address))];
  const owed = d.holdings.filter((h) => h.owedToAccountAlphaRao > 0n);
  return (
    <div className="card" data-testid="fund-account">
      <h2>Your shares</h2>
      <dl className="quote">
        <div>
          <dt>In your wallet</dt>
          <dd data-testid="account-shares">
            {formatUnits18(d.account.shares)} ≈{" "}
            {formatTao(sharesValueRao(d.account.shares, d.sharePriceRaoPerShareWad))}
          </dd>
        </div>
        <div>
          <dt>In the redemption queue</dt>
          <dd data-testid="account-queued">{formatUnits18(queued)}</dd>
        </div>
        <div>
          <dt>TAO to claim</dt>
          <dd data-testid="account-claimable">{formatTao(d.account.claimableRao)}</dd>
        </div>
      </dl>
      {d.account.claimableRao > 0n && (
        <TxButton
          label={`Claim ${formatTao(d.account.claimableRao)}`}
          testId="claim-tao-button"
          summary={`Claim ${formatTao(d.account.claimableRao)} from ${d.symbol}`}
          invalidates={invalidates}
          prepare={() => Promise.resolve(claimTaoRequest(d.address))}
        />
      )}
      {owed.map((h) => (
        <div key={h.index} className="owed" data-testid="owed-alpha" data-position={h.index}>
          <p className="small">
            {formatAlpha(h.owedToAccountAlphaRao)} of subnet #{h.netuid} owed to you (a redemption paid in kind): move
            it to your coldkey, where it stays staked on the fund&apos;s hotkey, or sell it for TAO.
          </p>
          <div className="row">
            <TxButton
              label="Move to my coldkey"
              testId={`claim-stake-${h.index}`}
              summary={`Take ${formatAlpha(h.owedToAccountAlphaRao)} from ${d.symbol}`}
              invalidates={invalidates}
              prepare={() =>
                Promise.resolve(claimStakeRequest(d.address, { index: h.index, coldkey: coldkeyOf(address) }))
              }
            />
            <TxButton
              label="Sell for TAO (1 % slippage)"
              testId={`sell-stake-${h.index}`}
              summary={`Sell ${formatAlpha(h.owedToAccountAlphaRao)} owed by ${d.symbol}`}
              invalidates={invalidates}
              prepare={async (client) => {
                if (!contracts) throw new Error("No contracts on this network");
                const lens = contracts.MarketsLens;
                const quote = await client.readContract({
                  address: lens.address,
                  abi: lens.abi,
                  functionName: "quoteUnstake",
                  args: [h.netuid, h.owedToAccountAlphaRao],
                });
                return sellClaimedStakeRequest(d.address, { index: h.index, minTaoOutRao: minOut(quote, 100n) });
              }}
            />
          </div>
        </div>
      ))}
      {d.account.shares > 0n && <RedeemRequestForm fund={d} sharesHeld={d.account.shares} />}
      <RedemptionList fund={d} redemptions={redemptions} invalidates={invalidates} />
    </div>
  );
}

/** A redemption request of part or all of `sharesHeld`, in TAO or in kind. */
export function RedeemRequestForm({
  fund,
  sharesHeld,
}: {
  fund: Pick<
    FundOverview,
    | "address"
    | "symbol"
    | "kind"
    | "minRedemptionShares"
    | "noticePeriodSeconds"
    | "sharePriceRaoPerShareWad"
    | "isShutDown"
  >;
  sharesHeld: bigint;
}) {
  const chainId = useChainId();
  const { address } = useConnection();
  const [inKind, setInKind] = useState(false);
  const [percentText, setPercentText] = useState("100");
  const checked = checkRedemptionRequest({
    percentText,
    sharesHeld,
    minRedemptionShares: fund.minRedemptionShares,
  });
  return (
    <form className="redeem-request" onSubmit={(e) => e.preventDefault()} aria-label={`Redeem ${fund.symbol}`}>
      <h3>Request a redemption</h3>
      <PayoutTabs
        label="Paid in TAO or in kind"
        inKindLabel="In kind (positions)"
        inKind={inKind}
        onChange={setInKind}
        testIds={{ tao: "redeem-in-tao", inKind: "redeem-in-kind" }}
      />
      <PercentField
        label="Part of your shares (%)"
        ariaLabel="Percent of your shares to redeem"
        value={percentText}
        onChange={setPercentText}
        testId="fund-redeem-percent"
        invalid={!checked.ok}
      />
      {!checked.ok && percentText.trim() !== "" && (
        <p className="error" role="alert" data-testid="fund-redeem-error">
          {checked.reason}
        </p>
      )}
      <dl className="quote">
        <div>
          <dt>Shares</dt>
          <dd data-testid="fund-redeem-shares">{checked.ok ? formatUnits18(checked.shares) : "—"}</dd>
        </div>
        <div>
          <dt>Worth now, at NAV</dt>
          <dd>{checked.ok ? formatTao(sharesValueRao(checked.shares, fund.sharePriceRaoPerShareWad)) : "—"}</dd>
        </div>
        <div>
          <dt>Paid</dt>
          <dd>
            {fund.isShutDown || fund.noticePeriodSeconds === 0
              ? "when the queue is next processed"
              : `after a ${formatSeconds(fund.noticePeriodSeconds)} notice`}
          </dd>
        </div>
      </dl>
      <p className="small muted">
        {inKind
          ? "In kind: your part of each position (vault shares sent to you, direct stake owed to you to move or sell) and of the idle TAO in TAO."
          : "In TAO: your part of the idle TAO and of each position sold at the pool's price within the fund's trading band (a position that would sell below it is paid in kind)."}{" "}
        Your shares stay locked in the fund until then; you may cancel while they wait.
      </p>
      <TxButton
        label="Request redemption"
        testId="fund-redeem-button"
        blockedReason={checked.ok ? undefined : checked.reason}
        summary={`Redeem ${checked.ok ? formatUnits18(checked.shares) : ""} ${fund.symbol} ${inKind ? "in kind" : "in TAO"}`}
        invalidates={[fundsQueryKey(chainId)]}
        prepare={() => {
          if (!address || !checked.ok) throw new Error(checked.ok ? "Connect a wallet" : checked.reason);
          return Promise.resolve(
            requestRedemptionRequest(fund.address, { shares: checked.shares, receiver: address, inKind }),
          );
        }}
      />
    </form>
  );
}

function statusText(r: Redemption, nowSeconds: bigint): string {
  switch (r.status) {
    case "notice":
      return `In notice until ${formatTime(r.readyAt)} (${formatDuration(Number(r.readyAt - nowSeconds))})`;
    case "ready":
      return r.filledShares > 0n
        ? `Partly paid (${formatTao(r.paidTaoRao)}); the rest is ready: anyone may process it`
        : "Ready: anyone may process the queue";
    case "paid":
      return `Paid: ${formatTao(r.paidTaoRao)}${r.inKind ? " and your part of the positions in kind" : ""}`;
    case "cancelled":
      return "Cancelled: the shares came back";
    case "updating":
      return "Left the queue: reading how it was settled…";
  }
}

function RedemptionList({
  fund: d,
  redemptions,
  invalidates,
}: {
  fund: FundDetails;
  redemptions: readonly Redemption[];
  invalidates: (readonly unknown[])[];
}) {
  if (redemptions.length === 0) return null;
  return (
    <div>
      <h3>Your redemptions</h3>
      <ul className="redemptions" data-testid="redemptions">
        {redemptions.map((r) => (
          <li key={r.id.toString()} data-testid="redemption" data-id={r.id.toString()} data-status={r.status}>
            <div>
              <strong>#{r.id.toString()}</strong> · {formatUnits18(r.requestedShares)} shares{" "}
              {r.inKind ? "in kind" : "in TAO"}
            </div>
            <div className="small" data-testid="redemption-status">
              {statusText(r, d.timestamp)}
            </div>
            {r.status === "ready" && (
              <TxButton
                label="Process the ready redemptions"
                testId={`process-${r.id}`}
                summary={`Process ${d.symbol}'s redemption queue`}
                invalidates={invalidates}
                prepare={() =>
                  Promise.resolve(processRedemptionsRequest(d.address, clampBatch(r.id - d.queueHead + 1n)))
                }
              />
            )}
            {r.remainingShares > 0n && (
              <TxButton
                label="Cancel"
                testId={`cancel-${r.id}`}
                summary={`Cancel ${d.symbol} redemption #${r.id}`}
                invalidates={invalidates}
                prepare={() => Promise.resolve(cancelRedemptionRequest(d.address, r.id))}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Requests to process: through the account's own (from the queue's head), at most `MAX_BATCH`. */
function clampBatch(count: bigint): bigint {
  return count < 1n ? 1n : count > MAX_BATCH ? MAX_BATCH : count;
}
