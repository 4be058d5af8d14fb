/**
 * The Portfolio's fund positions: the account's shares of each fund (in the wallet and waiting in the redemption
 * queue) valued at NAV per share, their cost and profit or loss (average cost, from the account's own events), the TAO
 * a fund owes it, and a redemption request in TAO or in kind.
 */
import { useState } from "react";
import type { Address } from "viem";

import {
  type FundPnl,
  costBasisOf,
  fundPnl,
  redemptionsOf,
  useActivityRefresh,
  useFundActivity,
} from "../data/fundActivity.ts";
import { type FundOverview, FUND_KIND_LABEL, useFunds } from "../data/funds.ts";
import { formatTao, formatUnits18 } from "../lib/format.ts";
import { describeError } from "../lib/units.ts";
import { CostPnlHeaders, PnlCell } from "../ui/PnlCell.tsx";
import { RedeemRequestForm } from "./FundRedemptions.tsx";

export interface FundPosition {
  fund: FundOverview;
  walletShares: bigint;
  queuedShares: bigint;
  pnl: FundPnl;
}

/** The account's fund positions and their total value (undefined while loading or without funds). */
export function useFundPositions() {
  const { deployed, snapshot, isLoading, error } = useFunds();
  const funds = snapshot?.funds;
  const activity = useFundActivity(funds?.map((f) => f.address));
  useActivityRefresh(funds?.map((f) => `${f.account?.shares}/${f.account?.claimableRao}`).join());
  const events = activity.data;
  const positions =
    funds && events && snapshot
      ? funds.flatMap((fund): FundPosition[] => {
          const walletShares = fund.account?.shares ?? 0n;
          const queuedShares = redemptionsOf(events, fund.address, [], snapshot.timestamp).reduce(
            (a, r) => a + r.remainingShares,
            0n,
          );
          const claimable = fund.account?.claimableRao ?? 0n;
          if (walletShares + queuedShares === 0n && claimable === 0n) return [];
          const basis = costBasisOf(events, fund.address);
          return [
            {
              fund,
              walletShares,
              queuedShares,
              pnl: fundPnl(basis, walletShares + queuedShares, fund.sharePriceRaoPerShareWad),
            },
          ];
        })
      : undefined;
  return {
    deployed,
    positions,
    totalRao: positions?.reduce((a, p) => a + p.pnl.valueRao + (p.fund.account?.claimableRao ?? 0n), 0n),
    isLoading: isLoading || activity.isLoading,
    error: error ?? activity.error,
  };
}

export function FundPositionsCard({ funds }: { funds: ReturnType<typeof useFundPositions> }) {
  const [selected, setSelected] = useState<Address | undefined>(undefined);
  if (!funds.deployed) return null;
  const redeeming = funds.positions?.find((p) => p.fund.address === selected);
  return (
    <>
      <div className="card wide" data-testid="portfolio-funds">
        <h2>Fund shares</h2>
        {funds.error && !funds.positions && <p className="error">{describeError(funds.error)}</p>}
        {!funds.positions ? (
          <progress aria-label="Loading your fund shares" />
        ) : funds.positions.length === 0 ? (
          <p className="muted">
            No fund shares. <a href="#/funds">See the funds</a>.
          </p>
        ) : (
          <div className="table-wrap">
            <table data-testid="fund-positions">
              <caption className="sr-only">Your fund shares, valued at NAV per share</caption>
              <thead>
                <tr>
                  <th scope="col">Fund</th>
                  <th scope="col" className="num">
                    Shares (queued)
                  </th>
                  <th scope="col" className="num">
                    NAV per share
                  </th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <CostPnlHeaders />
                  <th scope="col">
                    <span className="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {funds.positions.map(({ fund: f, walletShares, queuedShares, pnl }) => (
                  <tr key={f.address} data-testid="fund-position-row" data-fund={f.address} data-symbol={f.symbol}>
                    <td>
                      <a href={`#/funds/${f.address}`}>{f.name}</a> <span className="muted">{f.symbol}</span>
                      <div className="small muted">{FUND_KIND_LABEL[f.kind]}</div>
                    </td>
                    <td className="num" data-testid="fund-position-shares">
                      {formatUnits18(walletShares + queuedShares)}
                      {queuedShares > 0n && <div className="small muted">{formatUnits18(queuedShares)} queued</div>}
                    </td>
                    <td className="num">{formatTao(f.sharePriceRaoPerShareWad)}</td>
                    <td className="num" data-testid="fund-position-value">
                      {formatTao(pnl.valueRao)}
                      {(f.account?.claimableRao ?? 0n) > 0n && (
                        <div className="small">+ {formatTao(f.account!.claimableRao)} to claim</div>
                      )}
                    </td>
                    <td className="num">{formatTao(pnl.costRao)}</td>
                    <PnlCell pnl={pnl} testId="fund-position-pnl" />
                    <td>
                      {walletShares > 0n && (
                        <button
                          type="button"
                          className={selected === f.address ? "chip active" : "chip"}
                          aria-pressed={selected === f.address}
                          onClick={() => setSelected(selected === f.address ? undefined : f.address)}
                          data-testid="fund-redeem-open"
                        >
                          Redeem
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="small muted">
          Shares are valued at NAV per share (the fund&apos;s assets at the subnets&apos; moving prices, fees accrued
          counted). P&amp;L uses the average cost from your own events: the TAO you deposited, or contributed to a raise
          (1 TAO a share), over the shares it gave you; a redemption takes its shares out at that cost, and one paid in
          TAO counts as realised (TAO received less their cost). Shares received by transfer have no recorded cost.
        </p>
      </div>
      {redeeming && (
        <div className="card" data-testid="portfolio-fund-redeem">
          <h2>
            Redeem {redeeming.fund.name} <span className="muted">{redeeming.fund.symbol}</span>
          </h2>
          <RedeemRequestForm key={redeeming.fund.address} fund={redeeming.fund} sharesHeld={redeeming.walletShares} />
          <p className="small">
            Follow it in the queue on the <a href={`#/funds/${redeeming.fund.address}`}>fund&apos;s page</a>.
          </p>
        </div>
      )}
    </>
  );
}
