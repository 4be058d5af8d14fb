/**
 * Stake and unstake with price protection: a live quote from the chain, the price impact, a limit price from the
 * slippage setting and the quote, a deadline from the chain's clock, and a warning above an impact threshold.
 */
import { useState } from "react";
import type { Hex } from "viem";
import { useBalance, useChainId, useConnection } from "wagmi";

import { useContracts } from "../data/contracts.ts";
import { marketsQueryKey } from "../data/markets.ts";
import { positionKeysQueryKey } from "../data/positions.ts";
import { chainTime, stakeLimitRequest, unstakeLimitRequest, useChainQuote } from "../data/staking.ts";
import { type SubnetSnapshot, subnetQueryKey } from "../data/subnet.ts";
import { formatAlpha, formatPpm, formatPriceRao, formatTao } from "../lib/format.ts";
import { checkLimitPriceRao } from "../../../client/index.ts";
import {
  coldkeyOf,
  deadlineFromChain,
  formatUnits9,
  stakeLimitPriceRao,
  unstakeLimitPriceRao,
  weiToRaoDown,
} from "../lib/units.ts";
import { TxButton } from "../tx/TxButton.tsx";
import {
  GAS_RESERVE_RAO,
  IMPACT_DANGER_PPM,
  IMPACT_WARNING_PPM,
  checkStake,
  checkUnstake,
  parseSlippageBps,
} from "./stakeForm.ts";
import { TradeSettings } from "../ui/TradeSettings.tsx";

const SLIPPAGE_PRESETS = ["0.1", "0.5", "1"];

export function StakePanel({ netuid, snapshot }: { netuid: number; snapshot: SubnetSnapshot }) {
  const chainId = useChainId();
  const { contracts } = useContracts();
  const { address } = useConnection();
  const balance = useBalance({ address, chainId, query: { enabled: Boolean(address) } });
  const [side, setSide] = useState<"stake" | "unstake">("stake");
  const [amountText, setAmountText] = useState("");
  const [slippageText, setSlippageText] = useState("0.5");
  const [deadlineMinutes, setDeadlineMinutes] = useState("20");

  const m = snapshot.market;
  const pool = {
    taoReserveRao: m.taoReserveRao,
    alphaReserveAlphaRao: m.alphaReserveAlphaRao,
    feeRateOf65535: m.feeRateOf65535,
  };
  const validators = snapshot.neurons
    .filter((n) => n.validatorPermit)
    .sort((a, b) => (b.stakeAlphaRao > a.stakeAlphaRao ? 1 : b.stakeAlphaRao < a.stakeAlphaRao ? -1 : 0));
  const choices: { hotkey: Hex; label: string }[] = [
    ...validators.map((v) => ({ hotkey: v.hotkey, label: `Validator uid ${v.uid} (${v.hotkey.slice(0, 8)}…)` })),
    ...snapshot.positions
      .filter((p) => !validators.some((v) => v.hotkey === p.hotkey))
      .map((p) => ({ hotkey: p.hotkey, label: `Your position ${p.hotkey.slice(0, 8)}…` })),
  ];
  const [hotkeyChoice, setHotkey] = useState<Hex | undefined>(undefined);
  const hotkey = hotkeyChoice ?? choices[0]?.hotkey;
  const staked = snapshot.positions.find((p) => p.hotkey === hotkey)?.alphaRao ?? 0n;
  const balanceRao = balance.data ? weiToRaoDown(balance.data.value) : undefined;

  const checked =
    side === "stake"
      ? checkStake({ amountText, balanceRao: address ? balanceRao : undefined, minStakeRao: m.minStakeRao, pool })
      : checkUnstake({ amountText, stakedAlphaRao: staked, minStakeRao: m.minStakeRao, pool });
  const slippage = parseSlippageBps(slippageText);
  const minutes = Number(deadlineMinutes);
  const deadlineOk = Number.isFinite(minutes) && minutes >= 1 && minutes <= 24 * 60;
  const chainQuote = useChainQuote(side, netuid, checked.ok ? checked.amount : undefined);

  const quote = checked.ok ? checked.quote : undefined;
  const limitPriceRao =
    quote && slippage.ok
      ? side === "stake"
        ? stakeLimitPriceRao(quote, slippage.bps)
        : unstakeLimitPriceRao(quote, slippage.bps)
      : undefined;
  const amountTyped = amountText.trim() !== "";
  const blockedReason = !hotkey
    ? "This subnet has no validator to stake to yet"
    : !checked.ok
      ? checked.reason
      : !slippage.ok
        ? slippage.reason
        : !deadlineOk
          ? "The deadline must be between 1 minute and 24 hours"
          : undefined;
  const outUnit = side === "stake" ? formatAlpha : formatTao;

  return (
    <div className="card stake" aria-labelledby="stake-title">
      <h2 id="stake-title">Trade</h2>
      <div className="tabs" role="tablist" aria-label="Stake or unstake">
        {(["stake", "unstake"] as const).map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={side === s}
            className={side === s ? "tab active" : "tab"}
            onClick={() => {
              setSide(s);
              setAmountText("");
            }}
          >
            {s === "stake" ? "Stake" : "Unstake"}
          </button>
        ))}
      </div>

      <label className="field">
        <span>Hotkey</span>
        <select value={hotkey ?? ""} onChange={(e) => setHotkey(e.target.value as Hex)} aria-label="Hotkey to stake to">
          {choices.map((c) => (
            <option key={c.hotkey} value={c.hotkey}>
              {c.label}
            </option>
          ))}
        </select>
      </label>

      <label className="field">
        <span>{side === "stake" ? "Amount (TAO)" : "Amount (alpha)"}</span>
        <div className="row">
          <input
            inputMode="decimal"
            autoComplete="off"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            placeholder="0.0"
            aria-label={side === "stake" ? "Amount of TAO to stake" : "Amount of alpha to unstake"}
            aria-invalid={amountTyped && !checked.ok}
            data-testid="amount"
          />
          <button
            type="button"
            className="link"
            onClick={() =>
              setAmountText(
                side === "stake"
                  ? formatUnits9(balanceRao && balanceRao > GAS_RESERVE_RAO ? balanceRao - GAS_RESERVE_RAO : 0n)
                  : formatUnits9(staked),
              )
            }
          >
            Max
          </button>
        </div>
        <small className="muted">
          {side === "stake"
            ? `Balance ${balanceRao === undefined ? "—" : formatTao(balanceRao)} · minimum ${formatTao(m.minStakeRao)}`
            : `Staked on this hotkey ${formatAlpha(staked)}`}
        </small>
      </label>

      <TradeSettings
        legend="Slippage tolerance"
        presets={SLIPPAGE_PRESETS}
        slippageText={slippageText}
        onSlippageText={setSlippageText}
        deadlineMinutes={deadlineMinutes}
        onDeadlineMinutes={setDeadlineMinutes}
        slippageTestId="slippage"
      />

      {amountTyped && !checked.ok && (
        <p className="error" role="alert" data-testid="form-error">
          {checked.reason}
        </p>
      )}

      {quote && (
        <dl className="quote" data-testid="quote">
          <div>
            <dt>You receive (chain quote)</dt>
            <dd data-testid="quote-out">
              {chainQuote.data !== undefined ? outUnit(chainQuote.data) : chainQuote.isFetching ? "…" : "—"}
            </dd>
          </div>
          <div>
            <dt>Price impact</dt>
            <dd data-testid="impact" className={quote.priceImpactPpm >= IMPACT_WARNING_PPM ? "warn" : undefined}>
              {formatPpm(quote.priceImpactPpm)}
            </dd>
          </div>
          <div>
            <dt>Fee</dt>
            <dd>{side === "stake" ? formatTao(quote.fee) : formatAlpha(quote.fee)}</dd>
          </div>
          <div>
            <dt>{side === "stake" ? "Limit price (at most)" : "Limit price (at least)"}</dt>
            <dd data-testid="limit-price">{limitPriceRao !== undefined ? formatPriceRao(limitPriceRao) : "—"}</dd>
          </div>
        </dl>
      )}
      {quote && quote.priceImpactPpm >= IMPACT_WARNING_PPM && (
        <p
          className={quote.priceImpactPpm >= IMPACT_DANGER_PPM ? "banner danger" : "banner warn"}
          role="alert"
          data-testid="impact-warning"
        >
          Price impact {formatPpm(quote.priceImpactPpm)}: this trade moves the price a lot. A smaller amount gets a
          better price.
        </p>
      )}

      <TxButton
        label={side === "stake" ? "Stake" : "Unstake"}
        blockedReason={blockedReason}
        summary={
          checked.ok
            ? `${side === "stake" ? "Stake" : "Unstake"} ${side === "stake" ? formatTao(checked.amount) : formatAlpha(checked.amount)} on ${m.name}`
            : side
        }
        invalidates={[
          marketsQueryKey(chainId),
          subnetQueryKey(chainId, netuid),
          ["balance"],
          ["portfolio", chainId], // the positions and their cost books
          positionKeysQueryKey(chainId, address ? coldkeyOf(address) : undefined),
        ]}
        prepare={async (client) => {
          if (!contracts || !hotkey || !checked.ok || limitPriceRao === undefined)
            throw new Error(blockedReason ?? "Not ready");
          // A limit in the wrong unit would protect nothing: refuse it before anything is signed.
          checkLimitPriceRao({
            side: side === "stake" ? "buy" : "sell",
            limitPriceRao,
            spotRaoPerAlpha: checked.quote.spotPriceRao,
          });
          const deadline = deadlineFromChain(await chainTime(client), minutes * 60);
          return side === "stake"
            ? stakeLimitRequest(contracts, { hotkey, netuid, amountRao: checked.amount, limitPriceRao, deadline })
            : unstakeLimitRequest(contracts, { hotkey, netuid, alphaRao: checked.amount, limitPriceRao, deadline });
        }}
        onConfirmed={() => setAmountText("")}
      />
    </div>
  );
}
