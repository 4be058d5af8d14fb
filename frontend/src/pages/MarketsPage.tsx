/** Every subnet in one sortable, searchable table, refreshed on each new block. */
import { useMemo, useState } from "react";

import { chainName } from "../config/chains.ts";
import { type MarketRow, useMarkets } from "../data/markets.ts";
import { formatAlpha, formatPriceWad, formatShareWad, formatTao } from "../lib/format.ts";
import { WAD, describeError } from "../lib/units.ts";

type SortKey = "netuid" | "name" | "spot" | "moving" | "tao" | "alpha" | "emission" | "volume" | "position";

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "netuid", label: "Netuid", numeric: true },
  { key: "name", label: "Subnet", numeric: false },
  { key: "spot", label: "Spot price", numeric: true },
  { key: "moving", label: "Moving price", numeric: true },
  { key: "emission", label: "Emission share", numeric: true },
  { key: "tao", label: "TAO reserve", numeric: true },
  { key: "alpha", label: "Alpha reserve", numeric: true },
  { key: "volume", label: "24 h volume", numeric: true },
  { key: "position", label: "Your position", numeric: true },
];

function sortValue(row: MarketRow, key: SortKey): bigint | string {
  switch (key) {
    case "netuid":
      return BigInt(row.netuid);
    case "name":
      return row.name.toLowerCase();
    case "spot":
      return row.spotPriceWad;
    case "moving":
      return row.movingPriceWad;
    case "tao":
      return row.taoReserveRao;
    case "alpha":
      return row.alphaReserveAlphaRao;
    case "emission":
      return row.emissionShareWad;
    case "volume":
      return row.volumeWindowRao ?? -1n;
    case "position":
      return positionValueRao(row);
  }
}

/** The position's value in TAO at the moving price (what valuation uses everywhere), rounded down. */
export function positionValueRao(row: Pick<MarketRow, "positionAlphaRao" | "movingPriceWad">): bigint {
  return (row.positionAlphaRao * row.movingPriceWad) / WAD;
}

/** Filters by name or netuid and sorts; pure, so the form's behaviour is tested without a chain. */
export function filterAndSort(rows: readonly MarketRow[], search: string, key: SortKey, descending: boolean) {
  const needle = search.trim().toLowerCase();
  const filtered = needle
    ? rows.filter((r) => r.name.toLowerCase().includes(needle) || String(r.netuid) === needle.replace(/^#/, ""))
    : [...rows];
  filtered.sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = x < y ? -1 : x > y ? 1 : a.netuid - b.netuid;
    return descending ? -order : order;
  });
  return filtered;
}

export function MarketsPage() {
  const { chainId, deployed, snapshot, isLoading, error } = useMarkets();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "emission", descending: true });
  const rows = useMemo(
    () => filterAndSort(snapshot?.rows ?? [], search, sort.key, sort.descending),
    [snapshot, search, sort],
  );

  if (!deployed) {
    return (
      <section>
        <h1>Markets</h1>
        <p className="banner">
          Alpha Markets has no contracts on {chainName(chainId)} yet. Pick the local chain (run <code>npm start</code>)
          in the network menu.
        </p>
      </section>
    );
  }

  const totalTao = (snapshot?.rows ?? []).reduce((sum, r) => sum + r.taoReserveRao, 0n);
  return (
    <section aria-labelledby="markets-title">
      <div className="page-head">
        <h1 id="markets-title">Markets</h1>
        <p className="muted" data-testid="markets-summary">
          {snapshot
            ? `${snapshot.rows.length} subnets · ${formatTao(totalTao, { compact: true })} in pools · block ${snapshot.blockNumber}`
            : "Loading…"}
        </p>
      </div>
      <label className="search">
        <span>Search</span>
        <input
          type="search"
          value={search}
          placeholder="Name or netuid"
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Search subnets by name or netuid"
        />
      </label>
      {error && <p className="error">Could not read the markets: {describeError(error)}</p>}
      {isLoading && !snapshot && <progress aria-label="Loading the markets" />}
      {snapshot && snapshot.windowBlocks < 1000n && (
        <p className="muted small">
          Volume over the last {snapshot.windowBlocks.toString()} blocks (the chain is younger than 24 h).
        </p>
      )}
      <div className="table-wrap">
        <table className="markets" data-testid="markets-table">
          <caption className="sr-only">Subnet markets, sortable by each column</caption>
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? "num" : undefined}
                  aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : "none"}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() =>
                      setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.numeric }))
                    }
                  >
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? " ↓" : " ↑") : ""}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.netuid} data-netuid={r.netuid}>
                <td className="num">{r.netuid}</td>
                <th scope="row">
                  <a href={`#/subnet/${r.netuid}`}>{r.name}</a>
                </th>
                <td className="num">{formatPriceWad(r.spotPriceWad)}</td>
                <td className="num">{formatPriceWad(r.movingPriceWad)}</td>
                <td className="num" data-testid="emission-share">
                  {formatShareWad(r.emissionShareWad)}
                </td>
                <td className="num">{formatTao(r.taoReserveRao, { compact: true })}</td>
                <td className="num">{formatAlpha(r.alphaReserveAlphaRao, { compact: true })}</td>
                <td className="num">
                  {r.volumeWindowRao === undefined ? "—" : formatTao(r.volumeWindowRao, { compact: true })}
                </td>
                <td className="num" data-testid="position">
                  {r.positionAlphaRao > 0n ? (
                    <>
                      {formatAlpha(r.positionAlphaRao)}
                      <div className="muted small">≈ {formatTao(positionValueRao(r))}</div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
            {snapshot && rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length}>No subnet matches “{search}”.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
