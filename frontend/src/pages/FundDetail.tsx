/**
 * One fund in full: NAV and NAV per share, the terms (fees with the high-water mark, notice period, timelock, policy,
 * roles), the raise of a mining fund (contribute, finalise, claim shares, refund) or the deposit at NAV of an
 * allocator or an index, the positions (alpha, moving price, value, caps or target weights), the timelocked changes
 * waiting with their ETA, and the account's shares and redemptions.
 */
import type { Address } from "viem";
import { useChainId } from "wagmi";

import {
  type PendingChange,
  redemptionsOf,
  useActivityRefresh,
  useFundActivity,
  useTimelock,
} from "../data/fundActivity.ts";
import {
  type FundDetails,
  FUND_KIND_LABEL,
  fundsQueryKey,
  rebalanceIndexRequest,
  useFundDetails,
  useFundDirectory,
  useSubnetNames,
} from "../data/funds.ts";
import {
  formatAlpha,
  formatBps,
  formatDuration,
  formatPriceRao,
  formatSeconds,
  formatTao,
  formatTime,
  formatUnits18,
  shortHex,
} from "../lib/format.ts";
import { describeError } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { CopyText } from "../ui/CopyText.tsx";
import { DepositPanel, RaisePanel } from "./FundRaise.tsx";
import { AccountFundPanel } from "./FundRedemptions.tsx";

export function FundDetail({ address }: { address: Address }) {
  const directory = useFundDirectory();
  const entry = directory.data?.find((f) => f.address.toLowerCase() === address.toLowerCase());
  const activity = useFundActivity(entry ? [entry.address] : undefined);
  const requestIds = (activity.data ?? []).flatMap((e) =>
    e.type === "requested" && e.fund.toLowerCase() === address.toLowerCase() ? [e.id] : [],
  );
  const details = useFundDetails(entry, requestIds);
  const d = details.data;
  // What the head shows of the account: when it changes (a fill, a claim), its events are read again.
  useActivityRefresh(
    d ? `${d.account?.shares}/${d.account?.claimableRao}/${d.requests.map((r) => r.shares).join()}` : undefined,
  );

  if (directory.error && !directory.data)
    return <p className="error">Could not read the funds: {describeError(directory.error)}</p>;
  if (directory.data && !entry)
    return (
      <p className="banner">
        The fund factory lists no fund at {address}. <a href="#/funds">See every fund</a>.
      </p>
    );
  if (details.error && !d) return <p className="error">Could not read the fund: {describeError(details.error)}</p>;
  if (!d) return <progress aria-label="Loading the fund" />;
  const redemptions = redemptionsOf(activity.data ?? [], d.address, d.requests, d.timestamp);

  return (
    <section aria-labelledby="fund-title" data-testid="fund-detail" data-fund={d.address}>
      <p className="small">
        <a href="#/funds">← Funds</a>
      </p>
      <div className="page-head">
        <h1 id="fund-title">
          {d.name} <span className="muted">{d.symbol}</span>
        </h1>
        <p className="muted">
          {FUND_KIND_LABEL[d.kind]} · <CopyText value={d.address} label="fund address" />
        </p>
      </div>
      {d.isShutDown && (
        <p className="banner danger" role="alert">
          This fund is shut down: no deposits, fees or new positions; redemptions go on without the notice period.
        </p>
      )}
      <dl className="stats">
        <div>
          <dt>NAV (moving prices)</dt>
          <dd data-testid="detail-nav">{formatTao(d.navRao)}</dd>
        </div>
        <div>
          <dt>NAV per share</dt>
          <dd data-testid="detail-share-price">{formatTao(d.sharePriceRaoPerShareWad)}</dd>
        </div>
        <div>
          <dt>Shares</dt>
          <dd>{formatUnits18(d.totalSupply)}</dd>
        </div>
        <div>
          <dt>Idle TAO</dt>
          <dd>{formatTao(d.idleRao)}</dd>
        </div>
        <div>
          <dt>Block</dt>
          <dd>{d.blockNumber.toString()}</dd>
        </div>
      </dl>

      <div className="grid fund-grid">
        {d.raise ? <RaisePanel fund={d} /> : d.kind !== "mining" && <DepositPanel fund={d} kind={d.kind} />}
        <AccountFundPanel fund={d} redemptions={redemptions} />
        <PositionsCard fund={d} />
        <TermsCard fund={d} />
        <TimelockCard fund={d} />
      </div>
    </section>
  );
}

function TermsCard({ fund: d }: { fund: FundDetails }) {
  const pendingFeeShares = d.pendingManagementFeeShares + d.pendingPerformanceFeeShares;
  return (
    <div className="card" data-testid="fund-terms">
      <h2>Terms</h2>
      <dl className="quote">
        <div>
          <dt>Management fee</dt>
          <dd>{formatBps(d.managementFeeBps)} a year</dd>
        </div>
        <div>
          <dt>Performance fee</dt>
          <dd>{formatBps(d.performanceFeeBps)} of gains above the high-water mark</dd>
        </div>
        <div>
          <dt>High-water mark</dt>
          <dd data-testid="fund-hwm">
            {d.highWaterMarkRaoPerShareWad === 0n
              ? "not set yet"
              : `${formatTao(d.highWaterMarkRaoPerShareWad)} per share`}
          </dd>
        </div>
        <div>
          <dt>Fees accrued, not yet minted</dt>
          <dd>{formatUnits18(pendingFeeShares)} shares</dd>
        </div>
        <div>
          <dt>Notice to redeem</dt>
          <dd>{formatSeconds(d.noticePeriodSeconds)}</dd>
        </div>
        <div>
          <dt>Timelock on changes</dt>
          <dd>{formatSeconds(d.timelockSeconds)}</dd>
        </div>
        <div>
          <dt>Trading band</dt>
          <dd>{formatBps(d.maxSlippageBps)} around the moving price</dd>
        </div>
        <div>
          <dt>Smallest redemption</dt>
          <dd>{formatUnits18(d.minRedemptionShares)} shares (or all of yours)</dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd>
            {(d.queueTail - d.queueHead).toString()} request(s) · {formatUnits18(d.lockedShares)} shares locked
          </dd>
        </div>
      </dl>
      <h3>Roles</h3>
      <dl className="quote small">
        {(["governance", "guardian", "manager", "feeRecipient"] as const).map((role) => (
          <div key={role}>
            <dt>{role === "feeRecipient" ? "fee recipient" : role}</dt>
            <dd>
              <CopyText value={d.roles[role]} label={role} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function PositionsCard({ fund: d }: { fund: FundDetails }) {
  const chainId = useChainId();
  const names = useSubnetNames(d.holdings.map((h) => h.netuid)).data;
  const capOf = new Map((d.caps ?? []).map((c) => [c.netuid, c]));
  const next = d.indexSettings
    ? d.indexSettings.lastRebalance + BigInt(d.indexSettings.minRebalanceIntervalSeconds)
    : undefined;
  return (
    <div className="card wide" data-testid="fund-positions">
      <h2>Positions</h2>
      {d.holdings.length === 0 ? (
        <p className="muted">No positions: the fund holds TAO only.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">The fund&apos;s positions, valued at the moving price</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Subnet</th>
                <th scope="col">Held as</th>
                <th scope="col" className="num">
                  Alpha
                </th>
                <th scope="col" className="num">
                  Moving price
                </th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Weight
                </th>
                {d.kind === "index" && (
                  <th scope="col" className="num">
                    Target (cap)
                  </th>
                )}
                {d.kind === "allocator" && (
                  <th scope="col" className="num">
                    Subnet cap (used)
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {d.holdings.map((h) => {
                const cap = capOf.get(h.netuid);
                return (
                  <tr key={h.index} data-testid="fund-position" data-netuid={h.netuid}>
                    <td>{h.index}</td>
                    <td>
                      <a href={`#/subnet/${h.netuid}`}>{names?.get(h.netuid) ?? `Subnet ${h.netuid}`}</a>{" "}
                      <span className="muted">#{h.netuid}</span>
                    </td>
                    <td>
                      {h.vault ? (
                        <>
                          vault <CopyText value={h.vault} label="vault address" />
                        </>
                      ) : (
                        <>
                          hotkey <code title={h.hotkey}>{shortHex(h.hotkey, 8, 6)}</code>
                        </>
                      )}
                    </td>
                    <td className="num">{formatAlpha(h.alphaRao)}</td>
                    <td className="num">{formatPriceRao(h.movingPriceRaoPerAlpha)}</td>
                    <td className="num">{formatTao(h.valueRao)}</td>
                    <td className="num">
                      {d.grossAssetsRao === 0n ? "—" : formatBps((h.valueRao * 10_000n) / d.grossAssetsRao)}
                    </td>
                    {d.kind === "index" && (
                      <td className="num">
                        {h.targetWeightBps === undefined ? "—" : formatBps(h.targetWeightBps)}
                        {h.maxWeightBps ? <span className="muted"> ({formatBps(h.maxWeightBps)})</span> : null}
                      </td>
                    )}
                    {d.kind === "allocator" && (
                      <td className="num">
                        {cap ? (
                          <>
                            {formatTao(cap.capRao)} <span className="muted">({formatTao(cap.valueRao)})</span>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {d.indexSettings && next !== undefined && (
        <div>
          <p className="small muted">
            Targets follow the subnets&apos; moving prices (their emission shares), capped per subnet; a position trades
            when it drifts more than {formatBps(d.indexSettings.toleranceBps)} from its target. Anyone may rebalance, at
            most every {formatSeconds(d.indexSettings.minRebalanceIntervalSeconds)}
            {d.indexSettings.lastRebalance > 0n && next > d.timestamp ? ` (next from ${formatTime(next)})` : ""}.
          </p>
          <TxButton
            label="Rebalance the index"
            testId="rebalance-index"
            blockedReason={
              d.isShutDown
                ? "The fund is shut down"
                : d.indexSettings.lastRebalance > 0n && next > d.timestamp
                  ? `Too soon: the next rebalance is allowed from ${formatTime(next)}`
                  : undefined
            }
            summary={`Rebalance ${d.symbol}`}
            invalidates={[fundsQueryKey(chainId)]}
            prepare={() => Promise.resolve(rebalanceIndexRequest(d.address))}
          />
        </div>
      )}
    </div>
  );
}

/** A scheduled call in words: its function and arguments, units from their names. */
export function describeChange(change: PendingChange): string {
  if (!change.call) return `a call the fund's ABI does not decode (${shortHex(change.data, 10, 0)})`;
  const args = change.call.args.map((value) => {
    if (typeof value === "bigint" || typeof value === "number") return String(value);
    if (typeof value === "string") return value.length > 20 ? shortHex(value, 8, 6) : value;
    if (value && typeof value === "object")
      return `{ ${Object.entries(value)
        .map(([k, v]) => `${k}: ${typeof v === "string" && v.length > 20 ? shortHex(v, 8, 6) : String(v)}`)
        .join(", ")} }`;
    return String(value);
  });
  return `${change.call.functionName}(${args.join(", ")})`;
}

function TimelockCard({ fund: d }: { fund: FundDetails }) {
  const timelock = useTimelock(d.address, d.kind);
  const changes = timelock.data ?? [];
  return (
    <div className="card" data-testid="fund-timelock">
      <h2>Changes waiting in the timelock</h2>
      {timelock.error && <p className="error">{describeError(timelock.error)}</p>}
      {timelock.isLoading ? (
        <progress aria-label="Reading the timelock" />
      ) : changes.length === 0 ? (
        <p className="muted">None. Any change that adds risk waits {formatSeconds(d.timelockSeconds)} here first.</p>
      ) : (
        <ul className="changes">
          {changes.map((c) => (
            <li key={c.id} data-testid="pending-change">
              <code>{describeChange(c)}</code>
              <div className="small muted">
                {c.etaSeconds > d.timestamp
                  ? `Can apply from ${formatTime(c.etaSeconds)} (${formatDuration(Number(c.etaSeconds - d.timestamp))})`
                  : `Can apply now (since ${formatTime(c.etaSeconds)}), unless the guardian vetoes it`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
