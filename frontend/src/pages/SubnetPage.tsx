/** One subnet: price chart, pool depth, stake and unstake with price protection, validators, the last epochs. */
import { Suspense, lazy } from "react";

import { usePriceHistory } from "../data/history.ts";
import { useSubnet } from "../data/subnet.ts";
import { formatAlpha, formatPpm, formatPriceWad, formatShareWad, formatTao } from "../lib/format.ts";
import { describeError, quoteStake } from "../lib/units.ts";
import { CopyText } from "../ui/CopyText.tsx";
import { StakePanel } from "./StakePanel.tsx";
import { SubnetEpochsPanel } from "./SubnetEpochsPanel.tsx";

const PriceChart = lazy(() => import("./PriceChart.tsx"));

const DEPTH_SIZES_TAO = [1n, 10n, 100n, 1000n];

export function SubnetPage({ netuid }: { netuid: number }) {
  const { snapshot, isLoading, error, deployed } = useSubnet(netuid);
  const history = usePriceHistory(netuid);
  if (!deployed) return <p className="banner">No Alpha Markets contracts on this network.</p>;
  if (error && !snapshot)
    return (
      <p className="error">
        Could not read subnet {netuid}: {describeError(error)}
      </p>
    );
  if (isLoading || !snapshot) return <progress aria-label={`Loading subnet ${netuid}`} />;
  const m = snapshot.market;
  if (m.taoReserveRao === 0n) return <p className="banner">Subnet {netuid} has no open pool.</p>;
  const pool = {
    taoReserveRao: m.taoReserveRao,
    alphaReserveAlphaRao: m.alphaReserveAlphaRao,
    feeRateOf65535: m.feeRateOf65535,
  };
  const replayed = history.data;
  // The replay ends at the pool's last event, so it must give the pool as stored then, not the market's reserves
  // as of the block (those include the emission catch-up due since, applied in the view).
  const stored = snapshot.storedPool;
  const replayMatches =
    replayed &&
    replayed.toBlock === snapshot.blockNumber &&
    replayed.taoReserveRao === stored.taoReserveRao &&
    replayed.alphaReserveAlphaRao === stored.alphaReserveAlphaRao;

  return (
    <section aria-labelledby="subnet-title">
      <p>
        <a href="#/">← Markets</a>
      </p>
      <div className="page-head">
        <h1 id="subnet-title">
          {m.name} <span className="muted">#{m.netuid}</span>
        </h1>
        <dl className="stats">
          <div>
            <dt>Spot price</dt>
            <dd data-testid="spot-price">{formatPriceWad(m.spotPriceWad)}</dd>
          </div>
          <div>
            <dt>Moving price</dt>
            <dd>{formatPriceWad(m.movingPriceWad)}</dd>
          </div>
          <div>
            <dt>TAO reserve</dt>
            <dd>{formatTao(m.taoReserveRao)}</dd>
          </div>
          <div>
            <dt>Alpha reserve</dt>
            <dd>{formatAlpha(m.alphaReserveAlphaRao)}</dd>
          </div>
          <div>
            <dt>Emission share</dt>
            <dd>{formatShareWad(m.emissionShareWad)}</dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>
              <CopyText value={m.owner} label="owner address" />
            </dd>
          </div>
        </dl>
      </div>

      <div className="grid">
        <div className="card">
          <h2>Price</h2>
          <Suspense fallback={<progress aria-label="Loading the chart" />}>
            {replayed && <PriceChart points={replayed.points} />}
          </Suspense>
          {history.error && <p className="error">Price history: {describeError(history.error)}</p>}
          {replayed && (
            <p className="muted small" data-testid="history-check" data-matches={replayMatches ? "yes" : "no"}>
              {replayed.events} pool events up to block {replayed.toBlock.toString()}
              {replayed.toBlock === snapshot.blockNumber &&
                (replayMatches
                  ? ` · replayed reserves match the pool as stored at its last catch-up (block ${stored.lastAccrualBlock})`
                  : " · replayed reserves differ from the pool's stored reserves")}
            </p>
          )}
        </div>

        <StakePanel netuid={netuid} snapshot={snapshot} />

        <div className="card">
          <h2>Pool depth</h2>
          <table className="depth">
            <caption className="sr-only">What a stake of each size gets, and its price impact</caption>
            <thead>
              <tr>
                <th scope="col">Stake</th>
                <th scope="col" className="num">
                  Alpha out
                </th>
                <th scope="col" className="num">
                  Price impact
                </th>
              </tr>
            </thead>
            <tbody>
              {DEPTH_SIZES_TAO.map((tao) => {
                const q = quoteStake(pool, tao * 10n ** 9n);
                return (
                  <tr key={tao.toString()}>
                    <td>{formatTao(tao * 10n ** 9n)}</td>
                    <td className="num">{formatAlpha(q.amountOut)}</td>
                    <td className="num">{formatPpm(q.priceImpactPpm)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">
            Fee {formatPpm((m.feeRateOf65535 * 1_000_000n) / 65_535n, 3)} per swap · {m.neurons} neurons · tempo{" "}
            {m.tempoBlocks} blocks
          </p>
        </div>

        <div className="card">
          <h2>Validators</h2>
          <ul className="validators">
            {snapshot.neurons
              .filter((n) => n.validatorPermit)
              .sort((a, b) => (b.stakeAlphaRao > a.stakeAlphaRao ? 1 : b.stakeAlphaRao < a.stakeAlphaRao ? -1 : 0))
              .map((n) => (
                <li key={n.uid}>
                  uid {n.uid} · <CopyText value={n.hotkey} label="hotkey" head={8} tail={6} /> ·{" "}
                  {formatAlpha(n.stakeAlphaRao)}
                </li>
              ))}
          </ul>
        </div>

        <SubnetEpochsPanel market={m} />
      </div>
    </section>
  );
}
