/**
 * Portfolio: every position of the connected account, direct stake, vault shares and fund shares, valued at each
 * subnet's moving price (a fund's shares at NAV per share, which is), with the total; each position with its cost and
 * P&L by average cost from the account's own events (data/stakeActivity.ts, data/vaultActivity.ts,
 * PortfolioFunds.tsx), and their sum in the header. A vault position is redeemed in TAO (with a minimum out from the
 * slippage setting) or in kind (its alpha stake moved to the account's coldkey), or moved to another vault to
 * rebalance (MovePanel.tsx); a fund position gets a redemption request (PortfolioFunds.tsx).
 */
import { useState } from "react";
import { useChainId, useConnection } from "wagmi";

import {
  type StakePosition,
  type VaultPosition,
  readRedeemQuote,
  usePortfolio,
  useRedeemQuote,
  valueAtMovingPriceRao,
  vaultExitQueryKeys,
} from "../data/portfolio.ts";
import { chainTime } from "../data/staking.ts";
import { redeemInKindRequest, redeemRequest } from "../data/liquid.ts";
import { stakeKey, stakePnl, useStakeBooks, withInKind } from "../data/stakeActivity.ts";
import { useVaultBooks } from "../data/vaultActivity.ts";
import { type CostBook, EMPTY_BOOK, pnlOf } from "../lib/averageCost.ts";
import { formatAlpha, formatPriceWad, formatTao, formatTaoSigned, formatUnits18 } from "../lib/format.ts";
import { coldkeyOf, deadlineFromChain, describeError } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import { CopyText } from "../ui/CopyText.tsx";
import { PayoutTabs } from "../ui/PayoutTabs.tsx";
import { PercentField } from "../ui/PercentField.tsx";
import { CostPnlHeaders, PnlCell } from "../ui/PnlCell.tsx";
import { SlippageField } from "../ui/SlippageField.tsx";
import { useWalletMenu } from "../wallet/WalletMenu.tsx";
import { parseSlippageBps } from "./stakeForm.ts";
import { checkRedeem, minOut, moveTargets } from "./redeemForm.ts";
import { MovePanel } from "./MovePanel.tsx";
import { FundPositionsCard, useFundPositions } from "./PortfolioFunds.tsx";

export default function PortfolioPage() {
  const { deployed, liquidDeployed, connected, portfolio, vaultList, isLoading, error } = usePortfolio();
  const funds = useFundPositions();
  const books = useVaultBooks(vaultList.map((v) => v.vault));
  const stakeBookList = useStakeBooks();
  const { address } = useConnection();
  const wallet = useWalletMenu();
  const [selected, setSelected] = useState<{ vault: `0x${string}`; action: "redeem" | "move" } | undefined>();
  if (!deployed) return <p className="banner">No Alpha Markets contracts on this network.</p>;
  if (!connected)
    return (
      <section aria-labelledby="portfolio-title">
        <h1 id="portfolio-title">Portfolio</h1>
        <p className="banner">
          Connect a wallet to see its positions.{" "}
          <button type="button" className="link" onClick={wallet.open}>
            Connect
          </button>
        </p>
      </section>
    );
  if (error && !portfolio) return <p className="error">Could not read your positions: {describeError(error)}</p>;
  if (isLoading || !portfolio) return <progress aria-label="Loading your positions" />;
  const open = selected && portfolio.vaults.find((v) => v.vault === selected.vault);
  const toggle = (vault: `0x${string}`, action: "redeem" | "move") =>
    setSelected(selected?.vault === vault && selected.action === action ? undefined : { vault, action });
  const fundCount = funds.positions?.length ?? 0;
  const vaultPnl = (v: VaultPosition) =>
    pnlOf(
      books.data?.books.get(v.vault.toLowerCase()) ?? EMPTY_BOOK,
      v.shares,
      (shares) => (v.valueRao * shares) / v.shares,
    );
  // Alpha a vault paid in kind to this coldkey keeps the cost of the shares it came from.
  const stakeBooks =
    stakeBookList.data &&
    books.data &&
    address &&
    withInKind(stakeBookList.data, books.data.inKind, vaultList, coldkeyOf(address));
  const stakePnlOf = (s: StakePosition) =>
    stakePnl(stakeBooks?.get(stakeKey(s.netuid, s.hotkey)), s.alphaRao, (alpha) =>
      valueAtMovingPriceRao(alpha, s.movingPriceWad),
    );
  // Realised P&L stays in the books of positions left since; unrealised is that of what is held.
  const realizedOf = (all: Iterable<CostBook>) =>
    [...all].reduce((a, book) => a + pnlOf(book, 0n, () => 0n).realizedRao, 0n);
  const pnlTotalRao =
    books.data &&
    stakeBooks &&
    funds.positions &&
    realizedOf(books.data.books.values()) +
      realizedOf(stakeBooks.values()) +
      portfolio.vaults.reduce((a, v) => a + vaultPnl(v).unrealizedRao, 0n) +
      portfolio.stakes.reduce((a, s) => a + stakePnlOf(s).unrealizedRao, 0n) +
      funds.positions.reduce((a, p) => a + p.pnl.unrealizedRao + p.pnl.realizedRao, 0n);

  return (
    <section aria-labelledby="portfolio-title">
      <div className="page-head">
        <h1 id="portfolio-title">Portfolio</h1>
        <dl className="stats">
          <div>
            <dt>Total value (moving price)</dt>
            <dd data-testid="portfolio-total">
              {formatTao(portfolio.totalRao + (funds.totalRao ?? 0n))}
              {funds.deployed && funds.totalRao === undefined && <span className="muted small"> (funds…)</span>}
            </dd>
          </div>
          <div>
            <dt>P&amp;L</dt>
            <dd data-testid="portfolio-pnl">{pnlTotalRao !== undefined ? formatTaoSigned(pnlTotalRao) : "…"}</dd>
          </div>
          <div>
            <dt>Positions</dt>
            <dd>{portfolio.stakes.length + portfolio.vaults.length + fundCount}</dd>
          </div>
          <div>
            <dt>Block</dt>
            <dd>{portfolio.blockNumber.toString()}</dd>
          </div>
        </dl>
      </div>
      {!liquidDeployed && (
        <p className="banner">Liquid staking is not deployed on this network: only direct stake is shown.</p>
      )}

      <div className="grid">
        <div className="card wide">
          <h2>Vault shares</h2>
          {portfolio.vaults.length === 0 ? (
            <p className="muted">
              No vault shares. <a href="#/allocate">Allocate</a> TAO across subnets to get some.
            </p>
          ) : (
            <div className="table-wrap">
              <table data-testid="vault-positions">
                <caption className="sr-only">Your liquid vault shares</caption>
                <thead>
                  <tr>
                    <th scope="col">Subnet</th>
                    <th scope="col">Vault</th>
                    <th scope="col" className="num">
                      Shares
                    </th>
                    <th scope="col" className="num">
                      Alpha
                    </th>
                    <th scope="col" className="num">
                      Moving price
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
                  {portfolio.vaults.map((v) => (
                    <tr key={v.vault} data-vault={v.vault} data-netuid={v.netuid} data-testid="vault-position">
                      <td>
                        <a href={`#/subnet/${v.netuid}`}>{v.name}</a> <span className="muted">#{v.netuid}</span>
                        {!v.live && <span className="warn"> dissolved</span>}
                      </td>
                      <td>
                        <CopyText value={v.vault} label="vault address" />
                      </td>
                      <td className="num" data-testid="vault-shares">
                        {formatUnits18(v.shares)}
                      </td>
                      <td className="num">{formatAlpha(v.alphaRao)}</td>
                      <td className="num">{formatPriceWad(v.movingPriceWad)}</td>
                      <td className="num" data-testid="vault-value">
                        {formatTao(v.valueRao)}
                      </td>
                      <td className="num">{books.data ? formatTao(vaultPnl(v).costRao) : "…"}</td>
                      {books.data ? <PnlCell pnl={vaultPnl(v)} testId="vault-pnl" /> : <td className="num">…</td>}
                      <td className="actions">
                        {(["redeem", "move"] as const).map((action) => {
                          const active = selected?.vault === v.vault && selected.action === action;
                          return (
                            <button
                              key={action}
                              type="button"
                              className={active ? "chip active" : "chip"}
                              aria-pressed={active}
                              aria-label={`${action === "redeem" ? "Redeem" : "Move"} the ${v.name} position`}
                              onClick={() => toggle(v.vault, action)}
                              data-testid={`${action}-open`}
                            >
                              {action === "redeem" ? "Redeem" : "Move"}
                            </button>
                          );
                        })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>

        {open && selected.action === "redeem" && <RedeemPanel key={open.vault} position={open} />}
        {open && selected.action === "move" && (
          <MovePanel key={open.vault} position={open} targets={moveTargets(open.vault, vaultList, portfolio.markets)} />
        )}

        <FundPositionsCard funds={funds} />

        <div className="card wide">
          <h2>Direct stake</h2>
          {portfolio.stakes.length === 0 ? (
            <p className="muted">No direct stake.</p>
          ) : (
            <div className="table-wrap">
              <table data-testid="stake-positions">
                <caption className="sr-only">Your stake per subnet and hotkey</caption>
                <thead>
                  <tr>
                    <th scope="col">Subnet</th>
                    <th scope="col">Hotkey</th>
                    <th scope="col" className="num">
                      Alpha
                    </th>
                    <th scope="col" className="num">
                      Moving price
                    </th>
                    <th scope="col" className="num">
                      Value
                    </th>
                    <CostPnlHeaders />
                  </tr>
                </thead>
                <tbody>
                  {portfolio.stakes.map((s) => (
                    <tr key={`${s.netuid}/${s.hotkey}`} data-netuid={s.netuid} data-testid="stake-position">
                      <td>
                        <a href={`#/subnet/${s.netuid}`}>{s.name}</a> <span className="muted">#{s.netuid}</span>
                      </td>
                      <td>
                        <CopyText value={s.hotkey} label="hotkey" head={8} tail={6} />
                      </td>
                      <td className="num">{formatAlpha(s.alphaRao)}</td>
                      <td className="num">{formatPriceWad(s.movingPriceWad)}</td>
                      <td className="num">{formatTao(s.valueRao)}</td>
                      <td className="num">{stakeBooks ? formatTao(stakePnlOf(s).costRao) : "…"}</td>
                      {stakeBooks ? <PnlCell pnl={stakePnlOf(s)} testId="stake-pnl" /> : <td className="num">…</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function RedeemPanel({ position: v }: { position: VaultPosition }) {
  const chainId = useChainId();
  const { address } = useConnection();
  const [inKind, setInKind] = useState(false);
  const [percentText, setPercentText] = useState("100");
  const [slippageText, setSlippageText] = useState("1");
  const checked = checkRedeem({
    percentText,
    shares: v.shares,
    maxShares: inKind ? v.maxRedeemInKindShares : v.maxRedeemShares,
    inKind,
    transfersEnabled: v.transfersEnabled,
  });
  const slippage = parseSlippageBps(slippageText);
  const quote = useRedeemQuote(v.vault, checked.ok ? checked.shares : undefined, inKind);
  const minimum = quote.data !== undefined && slippage.ok ? minOut(quote.data, slippage.bps) : undefined;
  const formatOut = inKind ? formatAlpha : formatTao;
  const blockedReason = !checked.ok
    ? checked.reason
    : !slippage.ok
      ? slippage.reason
      : quote.data === undefined
        ? "Waiting for the vault's quote…"
        : quote.data === 0n
          ? "This redemption would pay nothing"
          : undefined;

  return (
    <div className="card" data-testid="redeem-panel">
      <h2>
        Redeem {v.name} <span className="muted">#{v.netuid}</span>
      </h2>
      <PayoutTabs
        label="Redeem in TAO or in kind"
        inKindLabel="In kind (alpha stake)"
        inKind={inKind}
        onChange={setInKind}
      />
      <PercentField
        label="Part of the position (%)"
        ariaLabel="Percent of the position to redeem"
        value={percentText}
        onChange={setPercentText}
        testId="redeem-percent"
      />
      <SlippageField value={slippageText} onChange={setSlippageText} testId="redeem-slippage" />
      {percentText.trim() !== "" && !checked.ok && (
        <p className="error" role="alert" data-testid="redeem-error">
          {checked.reason}
        </p>
      )}
      <dl className="quote">
        <div>
          <dt>You receive (vault quote)</dt>
          <dd data-testid="redeem-quote">
            {quote.data !== undefined ? formatOut(quote.data) : quote.isFetching ? "…" : "—"}
          </dd>
        </div>
        <div>
          <dt>At least</dt>
          <dd data-testid="redeem-minimum">{minimum !== undefined ? formatOut(minimum) : "—"}</dd>
        </div>
        {inKind && (
          <div>
            <dt>To</dt>
            <dd>your coldkey, on the vault&apos;s hotkey</dd>
          </div>
        )}
      </dl>
      <TxButton
        label={inKind ? "Redeem in kind" : "Redeem in TAO"}
        testId="redeem-button"
        blockedReason={blockedReason}
        summary={`Redeem ${checked.ok && checked.shares === v.shares ? "all" : `${percentText} %`} of ${v.name} vault ${inKind ? "in kind" : "in TAO"}`}
        invalidates={vaultExitQueryKeys(chainId, address)}
        prepare={async (client) => {
          if (!address || !checked.ok || !slippage.ok) throw new Error(blockedReason ?? "Not ready");
          // The latest quote, so the minimum out is not a block old.
          const fresh = await readRedeemQuote(client, v.vault, checked.shares, inKind);
          const least = minOut(fresh, slippage.bps);
          const deadline = deadlineFromChain(await chainTime(client), 20 * 60);
          return inKind
            ? redeemInKindRequest(v.vault, {
                shares: checked.shares,
                owner: address,
                receiverColdkey: coldkeyOf(address),
                minAlphaOutRao: least,
                deadline,
              })
            : redeemRequest(v.vault, { shares: checked.shares, owner: address, minTaoOutRao: least, deadline });
        }}
      />
    </div>
  );
}
