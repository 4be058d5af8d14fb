/**
 * Allocate: an amount of TAO split across subnets, by percentage or by emission share, each leg into the liquid vault
 * of one of the subnet's validators (the top one by default; the router creates a vault that does not exist yet).
 * Every leg is previewed by the router (TAO in, alpha out, shares, price impact), protected by a limit price and a
 * minimum of shares from the slippage setting, and the whole allocation is one router transaction.
 */
import { useState } from "react";
import type { Hex } from "viem";
import { useBalance, useChainId, useConnection } from "wagmi";

import { type LiquidContracts, useContracts } from "../data/contracts.ts";
import {
  type LegQuote,
  type RouterLeg,
  allocateRequest,
  liquidQueryKey,
  previewAllocate,
  useAllocationPreview,
  useMinDeposit,
  useValidators,
} from "../data/liquid.ts";
import { type MarketRow, marketsQueryKey, useMarkets } from "../data/markets.ts";
import { chainTime } from "../data/staking.ts";
import { formatAlpha, formatPriceRao, formatShareWad, formatTao, formatUnits18, shortHex } from "../lib/format.ts";
import { deadlineFromChain, describeError, formatUnits9, weiToRaoDown } from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import {
  type AllocationMode,
  type AllocationRow,
  LEG_IMPACT_DANGER_WAD,
  LEG_IMPACT_WARNING_WAD,
  MAX_LEGS,
  checkAllocation,
  evenPercents,
  legLimits,
} from "./allocateForm.ts";
import { GAS_RESERVE_RAO, parseSlippageBps } from "./stakeForm.ts";
import { TradeSettings } from "../ui/TradeSettings.tsx";

const SLIPPAGE_PRESETS = ["0.5", "1", "2"];

interface Choice {
  percentText: string;
  /** Undefined: the subnet's top validator. */
  hotkey: Hex | undefined;
}

/** A share of the whole as a Wad, shown as a percentage. */
function formatImpactWad(impactWad: bigint): string {
  return formatShareWad(impactWad, 2);
}

/** Shares have 18 decimals (an alpha-rao is 1e9 share units at the start: the vaults' virtual shares). */
const formatShares = formatUnits18;

export default function AllocatePage() {
  const { contracts } = useContracts();
  const { snapshot, isLoading, error } = useMarkets();
  if (!contracts) return <p className="banner">No Alpha Markets contracts on this network.</p>;
  if (!contracts.liquid)
    return (
      <p className="banner" data-testid="no-liquid">
        Liquid staking (the vault factory and the allocation router) is not deployed on this network.
      </p>
    );
  if (error && !snapshot) return <p className="error">Could not read the markets: {describeError(error)}</p>;
  if (isLoading || !snapshot) return <progress aria-label="Loading the markets" />;
  return <AllocateForm liquid={contracts.liquid} markets={snapshot.rows} />;
}

function AllocateForm({ liquid, markets: allMarkets }: { liquid: LiquidContracts; markets: readonly MarketRow[] }) {
  const chainId = useChainId();
  const { address } = useConnection();
  const balance = useBalance({ address, chainId, query: { enabled: Boolean(address) } });
  const minDeposit = useMinDeposit();
  const [amountText, setAmountText] = useState("");
  const [mode, setMode] = useState<AllocationMode>("percent");
  const [choices, setChoices] = useState<Map<number, Choice>>(new Map());
  const [slippageText, setSlippageText] = useState("1");
  const [deadlineMinutes, setDeadlineMinutes] = useState("20");
  const chosen = [...choices.keys()];
  const validators = useValidators(chosen);

  const markets = allMarkets.filter((m) => m.netuid !== 0 && m.taoReserveRao > 0n);
  const byNetuid = new Map(markets.map((m) => [m.netuid, m]));
  const rows: AllocationRow[] = chosen.flatMap((netuid) => {
    const m = byNetuid.get(netuid);
    const c = choices.get(netuid);
    if (!m || !c) return [];
    return [
      {
        netuid,
        name: m.name,
        hotkey: c.hotkey ?? validators.data?.get(netuid)?.[0]?.hotkey,
        percentText: c.percentText,
        emissionShareWad: m.emissionShareWad,
      },
    ];
  });
  const balanceRao = balance.data ? weiToRaoDown(balance.data.value) : undefined;
  const checked =
    minDeposit.data === undefined
      ? ({ ok: false, reason: "Reading the vaults' minimum deposit…" } as const)
      : checkAllocation({
          amountText,
          mode,
          rows,
          balanceRao: address ? balanceRao : undefined,
          minDepositRao: minDeposit.data,
        });
  const slippage = parseSlippageBps(slippageText);
  const minutes = Number(deadlineMinutes);
  const deadlineOk = Number.isFinite(minutes) && minutes >= 1 && minutes <= 24 * 60;
  const preview = useAllocationPreview(
    checked.ok ? checked.legs : undefined,
    checked.ok ? checked.amountRao : undefined,
  );
  const quotes = preview.data?.quotes;
  const limits =
    checked.ok && quotes && slippage.ok && quotes.length === checked.legs.length
      ? checked.legs.map((leg, i) =>
          legLimits(poolOf(byNetuid.get(leg.netuid)!), leg.taoRao, quotes[i]!.shares, slippage.bps),
        )
      : undefined;
  const worstImpact = quotes?.reduce((a, q) => (q.priceImpactWad > a ? q.priceImpactWad : a), 0n) ?? 0n;
  const failedLeg = quotes?.findIndex((q) => q.alphaRao === 0n || q.shares === 0n) ?? -1;
  const amountTyped = amountText.trim() !== "";
  const blockedReason = !checked.ok
    ? checked.reason
    : !slippage.ok
      ? slippage.reason
      : !deadlineOk
        ? "The deadline must be between 1 minute and 24 hours"
        : failedLeg >= 0
          ? `Subnet #${checked.legs[failedLeg]!.netuid}: the pool cannot take this leg`
          : !quotes
            ? "Waiting for the router's preview…"
            : undefined;

  function update(netuid: number, change: Partial<Choice> | undefined) {
    setChoices((previous) => {
      const next = new Map(previous);
      if (change === undefined) next.delete(netuid);
      else next.set(netuid, { percentText: "", hotkey: undefined, ...previous.get(netuid), ...change });
      return next;
    });
  }

  function splitEvenly() {
    const percents = evenPercents(chosen.length);
    setChoices(new Map(chosen.map((netuid, i) => [netuid, { ...choices.get(netuid)!, percentText: percents[i]! }])));
  }

  return (
    <section aria-labelledby="allocate-title">
      <div className="page-head">
        <h1 id="allocate-title">Allocate</h1>
        <p className="muted">
          Split TAO across subnets in one transaction. Each part goes into a liquid vault of a validator of that subnet,
          and you receive the vault&apos;s shares.
        </p>
      </div>
      <div className="grid">
        <div className="card wide">
          <h2>Amount and split</h2>
          <label className="field">
            <span>Amount (TAO)</span>
            <div className="row">
              <input
                inputMode="decimal"
                autoComplete="off"
                value={amountText}
                onChange={(e) => setAmountText(e.target.value)}
                placeholder="0.0"
                aria-label="Amount of TAO to allocate"
                aria-invalid={amountTyped && !checked.ok}
                data-testid="allocate-amount"
              />
              <button
                type="button"
                className="link"
                onClick={() =>
                  setAmountText(
                    formatUnits9(balanceRao && balanceRao > GAS_RESERVE_RAO ? balanceRao - GAS_RESERVE_RAO : 0n),
                  )
                }
              >
                Max
              </button>
            </div>
            <small className="muted">
              Balance {balanceRao === undefined ? "—" : formatTao(balanceRao)} · minimum per subnet{" "}
              {minDeposit.data === undefined ? "…" : formatTao(minDeposit.data)} · at most {MAX_LEGS} subnets
            </small>
          </label>

          <div className="tabs" role="tablist" aria-label="How to split">
            {(
              [
                ["percent", "By percentage"],
                ["emission", "By emission share"],
              ] as const
            ).map(([m, label]) => (
              <button
                key={m}
                type="button"
                role="tab"
                aria-selected={mode === m}
                className={mode === m ? "tab active" : "tab"}
                onClick={() => setMode(m)}
              >
                {label}
              </button>
            ))}
          </div>

          <div className="table-wrap">
            <table className="allocate" data-testid="allocate-subnets">
              <caption className="sr-only">Subnets to allocate to</caption>
              <thead>
                <tr>
                  <th scope="col">Include</th>
                  <th scope="col">Subnet</th>
                  <th scope="col" className="num">
                    Emission
                  </th>
                  <th scope="col">Validator</th>
                  <th scope="col" className="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {markets.map((m) => (
                  <SubnetRow
                    key={m.netuid}
                    market={m}
                    mode={mode}
                    choice={choices.get(m.netuid)}
                    emissionTotalWad={rows.reduce((a, r) => a + r.emissionShareWad, 0n)}
                    validators={validators.data?.get(m.netuid)}
                    onChange={(change) => update(m.netuid, change)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {mode === "percent" && chosen.length > 0 && (
            <button type="button" className="link" onClick={splitEvenly}>
              Split evenly
            </button>
          )}
          {validators.error && <p className="error">Validators: {describeError(validators.error)}</p>}
        </div>

        <div className="card wide">
          <h2>Preview</h2>
          <TradeSettings
            legend="Slippage tolerance (each leg)"
            presets={SLIPPAGE_PRESETS}
            slippageText={slippageText}
            onSlippageText={setSlippageText}
            deadlineMinutes={deadlineMinutes}
            onDeadlineMinutes={setDeadlineMinutes}
            slippageTestId="allocate-slippage"
          />

          {(amountTyped || chosen.length > 0) && !checked.ok && (
            <p className="error" role="alert" data-testid="allocate-error">
              {checked.reason}
            </p>
          )}
          {preview.error && <p className="error">Preview: {describeError(preview.error)}</p>}

          {checked.ok && quotes && (
            <div className="table-wrap">
              <table className="depth" data-testid="allocation-preview">
                <caption className="sr-only">What each leg gets</caption>
                <thead>
                  <tr>
                    <th scope="col">Subnet</th>
                    <th scope="col" className="num">
                      TAO in
                    </th>
                    <th scope="col" className="num">
                      Alpha out
                    </th>
                    <th scope="col" className="num">
                      Shares (min)
                    </th>
                    <th scope="col" className="num">
                      Impact
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {checked.legs.map((leg, i) => (
                    <PreviewRow
                      key={leg.netuid}
                      name={byNetuid.get(leg.netuid)?.name ?? `#${leg.netuid}`}
                      netuid={leg.netuid}
                      quote={quotes[i]}
                      minShares={limits?.[i]?.minSharesOut}
                      limitPriceRao={limits?.[i]?.limitPriceRaoPerAlpha}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {worstImpact >= LEG_IMPACT_WARNING_WAD && (
            <p
              className={worstImpact >= LEG_IMPACT_DANGER_WAD ? "banner danger" : "banner warn"}
              role="alert"
              data-testid="allocate-impact-warning"
            >
              A leg moves its pool&apos;s price by {formatImpactWad(worstImpact)}: a smaller amount, or a larger share
              for deeper pools, gets a better price.
            </p>
          )}

          <TxButton
            label="Allocate"
            testId="allocate-button"
            blockedReason={blockedReason}
            summary={
              checked.ok ? `Allocate ${formatTao(checked.amountRao)} across ${checked.legs.length} subnets` : "Allocate"
            }
            invalidates={[marketsQueryKey(chainId), liquidQueryKey(chainId), ["balance"], ["portfolio", chainId]]}
            prepare={async (client) => {
              if (!checked.ok || !slippage.ok || !address) throw new Error(blockedReason ?? "Not ready");
              // The latest preview, so the minimum of shares is not a block old.
              const fresh = await previewAllocate(client, liquid, checked.legs, checked.amountRao);
              const legs: RouterLeg[] = checked.legs.map((leg, i) => {
                const q = fresh[i];
                if (!q || q.shares === 0n) throw new Error(`Subnet #${leg.netuid}: the pool cannot take this leg`);
                const l = legLimits(poolOf(byNetuid.get(leg.netuid)!), leg.taoRao, q.shares, slippage.bps);
                return { netuid: leg.netuid, hotkey: leg.hotkey, weight: leg.weight, ...l };
              });
              const deadline = deadlineFromChain(await chainTime(client), minutes * 60);
              return allocateRequest(liquid, { legs, receiver: address, deadline, amountRao: checked.amountRao });
            }}
            onConfirmed={() => setAmountText("")}
          />
          <p className="muted small">
            Your shares are in the <a href="#/portfolio">portfolio</a>.
          </p>
        </div>
      </div>
    </section>
  );
}

function poolOf(m: MarketRow) {
  return {
    taoReserveRao: m.taoReserveRao,
    alphaReserveAlphaRao: m.alphaReserveAlphaRao,
    feeRateOf65535: m.feeRateOf65535,
  };
}

function SubnetRow(props: {
  market: MarketRow;
  mode: AllocationMode;
  choice: Choice | undefined;
  emissionTotalWad: bigint;
  validators: { uid: number; hotkey: Hex }[] | undefined;
  onChange: (change: Partial<Choice> | undefined) => void;
}) {
  const { market: m, choice } = props;
  const included = choice !== undefined;
  return (
    <tr data-netuid={m.netuid}>
      <td>
        <input
          type="checkbox"
          checked={included}
          onChange={(e) => props.onChange(e.target.checked ? {} : undefined)}
          aria-label={`Include ${m.name} (#${m.netuid})`}
          data-testid={`include-${m.netuid}`}
        />
      </td>
      <td>
        {m.name} <span className="muted">#{m.netuid}</span>
      </td>
      <td className="num">{formatShareWad(m.emissionShareWad)}</td>
      <td>
        {included &&
          (props.validators === undefined ? (
            "…"
          ) : props.validators.length === 0 ? (
            <span className="warn">no validator</span>
          ) : (
            <select
              value={choice.hotkey ?? props.validators[0]!.hotkey}
              onChange={(e) => props.onChange({ hotkey: e.target.value as Hex })}
              aria-label={`Validator of ${m.name} (#${m.netuid})`}
            >
              {props.validators.map((v, i) => (
                <option key={v.hotkey} value={v.hotkey}>
                  uid {v.uid} · {shortHex(v.hotkey, 8, 4)}
                  {i === 0 ? " (top)" : ""}
                </option>
              ))}
            </select>
          ))}
      </td>
      <td className="num">
        {included &&
          (props.mode === "percent" ? (
            <span className="row">
              <input
                className="short"
                inputMode="decimal"
                value={choice.percentText}
                onChange={(e) => props.onChange({ percentText: e.target.value })}
                aria-label={`Percent for ${m.name} (#${m.netuid})`}
                data-testid={`percent-${m.netuid}`}
              />
              %
            </span>
          ) : props.emissionTotalWad > 0n ? (
            formatShareWad((m.emissionShareWad * 10n ** 18n) / props.emissionTotalWad)
          ) : (
            "—"
          ))}
      </td>
    </tr>
  );
}

function PreviewRow(props: {
  name: string;
  netuid: number;
  quote: LegQuote | undefined;
  minShares: bigint | undefined;
  limitPriceRao: bigint | undefined;
}) {
  const q = props.quote;
  if (!q) return null;
  const impactClass =
    q.priceImpactWad >= LEG_IMPACT_DANGER_WAD ? "danger" : q.priceImpactWad >= LEG_IMPACT_WARNING_WAD ? "warn" : "";
  return (
    <tr data-netuid={props.netuid} data-testid="preview-leg">
      <td className="wrap">
        {props.name} <span className="muted">#{props.netuid}</span>
        <br />
        <small className="muted" title={q.vault}>
          vault {shortHex(q.vault, 6, 4)}
          {q.vaultExists ? "" : " (created by this allocation)"}
          {props.limitPriceRao !== undefined ? ` · limit ${formatPriceRao(props.limitPriceRao)}` : ""}
        </small>
      </td>
      <td className="num">{formatTao(q.taoRao)}</td>
      <td className="num" data-testid="leg-alpha">
        {formatAlpha(q.alphaRao)}
      </td>
      <td className="num">
        {formatShares(q.shares)}
        {props.minShares !== undefined && (
          <>
            <br />
            <small className="muted">≥ {formatShares(props.minShares)}</small>
          </>
        )}
      </td>
      <td className={`num ${impactClass}`} data-testid="leg-impact">
        {formatImpactWad(q.priceImpactWad)}
      </td>
    </tr>
  );
}
