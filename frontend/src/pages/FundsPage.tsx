/**
 * Funds: every fund the FundFactory lists (mining organizations' raises, TAO allocators, the subnet index) with its
 * NAV, NAV per share, fees and raise progress, and the connected account's shares; `#/funds/<address>` is one fund in
 * full (FundDetail.tsx).
 */
import type { Address } from "viem";

import { type FundOverview, FUND_KIND_LABEL, sharesValueRao, useFunds } from "../data/funds.ts";
import { formatBps, formatSeconds, formatTao, formatUnits18 } from "../lib/format.ts";
import { describeError } from "../lib/units.ts";
import { FundDetail } from "./FundDetail.tsx";
import { RaiseProgress } from "./FundRaise.tsx";

export default function FundsPage({ fund }: { fund?: Address | undefined }) {
  if (fund) return <FundDetail key={fund} address={fund} />;
  return <FundList />;
}

function FundList() {
  const { deployed, snapshot, isLoading, error } = useFunds();
  if (!deployed)
    return (
      <section>
        <h1>Funds</h1>
        <p className="banner" data-testid="no-funds">
          No fund factory on this network yet: funds are deployed by <code>npm start</code> on the local chain, or by{" "}
          <code>npx hardhat fund:launch</code>.
        </p>
      </section>
    );
  if (error && !snapshot) return <p className="error">Could not read the funds: {describeError(error)}</p>;
  if (isLoading || !snapshot) return <progress aria-label="Loading the funds" />;
  const held = snapshot.funds.filter((f) => (f.account?.shares ?? 0n) > 0n);
  return (
    <section aria-labelledby="funds-title">
      <div className="page-head">
        <h1 id="funds-title">Funds</h1>
        <p className="muted" data-testid="funds-summary">
          {snapshot.funds.length} fund{snapshot.funds.length === 1 ? "" : "s"} ·{" "}
          {formatTao(snapshot.funds.reduce((a, f) => a + f.navRao, 0n))} under management · block{" "}
          {snapshot.blockNumber.toString()}
        </p>
      </div>
      <p className="muted small">
        Each fund is an ERC-20 share over TAO and subnet positions, valued at the subnets&apos; moving prices. Exits go
        through a redemption queue with a notice period; every risk-increasing change waits out a timelock.
        {held.length > 0 && ` You hold shares of ${held.length}.`}
      </p>
      {snapshot.funds.length === 0 && <p className="banner">The factory has no funds yet.</p>}
      <div className="grid" data-testid="fund-list">
        {snapshot.funds.map((f) => (
          <FundCard key={f.address} fund={f} nowSeconds={snapshot.timestamp} />
        ))}
      </div>
    </section>
  );
}

function FundCard({ fund: f, nowSeconds }: { fund: FundOverview; nowSeconds: bigint }) {
  const shares = f.account?.shares ?? 0n;
  return (
    <article className="card" data-testid="fund-card" data-fund={f.address} data-symbol={f.symbol}>
      <h2>
        <a href={`#/funds/${f.address}`}>{f.name}</a> <span className="muted">{f.symbol}</span>
      </h2>
      <p className="muted small">
        {FUND_KIND_LABEL[f.kind]}
        {f.isShutDown && <span className="warn"> · shut down (redemptions only)</span>}
      </p>
      <dl className="quote">
        <div>
          <dt>NAV</dt>
          <dd data-testid="fund-nav">{formatTao(f.navRao)}</dd>
        </div>
        <div>
          <dt>NAV per share</dt>
          <dd data-testid="fund-share-price">{formatTao(f.sharePriceRaoPerShareWad)}</dd>
        </div>
        <div>
          <dt>Fees</dt>
          <dd>
            {formatBps(f.managementFeeBps)} a year · {formatBps(f.performanceFeeBps)} of gains
          </dd>
        </div>
        <div>
          <dt>Notice to redeem</dt>
          <dd>{formatSeconds(f.noticePeriodSeconds)}</dd>
        </div>
        {shares > 0n && (
          <div>
            <dt>Your shares</dt>
            <dd data-testid="fund-your-shares">
              {formatUnits18(shares)} ≈ {formatTao(sharesValueRao(shares, f.sharePriceRaoPerShareWad))}
            </dd>
          </div>
        )}
      </dl>
      {f.raise ? (
        <RaiseProgress raise={f.raise} nowSeconds={nowSeconds} />
      ) : (
        <p className="small">{f.isShutDown ? "Closed to deposits." : "Open for deposits at NAV."}</p>
      )}
    </article>
  );
}
