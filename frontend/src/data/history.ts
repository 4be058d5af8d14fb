/**
 * A subnet's price history from its pool's events: the reserves are replayed from `OpenSubnet` through every event
 * that trades with the pool (`Stake`, `Unstake`, a registration's `BuyAndBurnAlpha`, a root dividend claimed as TAO
 * in `PayRootDividend`), and each `Accrue` carries the reserves after the catch-up and the moving price. That gives
 * the spot price after each event. The replayed reserves at the scanned block must equal the pool's: the page says
 * so when they do not.
 */
import { useQuery } from "@tanstack/react-query";
import { encodeEventTopics, parseEventLogs, toEventSelector, getAbiItem } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";

import { alphaPoolsAbi } from "../generated.ts";
import { spotPriceWadDown } from "../lib/units.ts";
import { useContracts } from "./contracts.ts";
import { chainOrder, getLogs } from "./logs.ts";

const EVENTS = [
  "OpenSubnet",
  "Stake",
  "Unstake",
  "BuyAndBurnAlpha",
  "PayRootDividend",
  "Accrue",
  "DissolveSubnet",
] as const;

export interface PricePoint {
  block: number;
  spotPriceWad: bigint;
  movingPriceWad: bigint | undefined;
}

export interface PriceHistory {
  toBlock: bigint;
  points: PricePoint[];
  taoReserveRao: bigint;
  alphaReserveAlphaRao: bigint;
  events: number;
}

type PoolLog = ReturnType<typeof parseEventLogs<typeof alphaPoolsAbi, true, (typeof EVENTS)[number]>>[number];

/** Replays the pool's events (sorted by block and log index) into price points and the final reserves. */
export function replayPool(logs: readonly PoolLog[], toBlock: bigint): PriceHistory {
  let tao = 0n;
  let alpha = 0n;
  let moving: bigint | undefined;
  let points: PricePoint[] = [];
  for (const log of logs) {
    switch (log.eventName) {
      case "OpenSubnet":
        tao = log.args.taoRao;
        alpha = log.args.alphaRao;
        moving = undefined;
        points = [];
        break;
      case "Stake": // the TAO used, fee included (the fee stays in the pool), for the alpha bought
      case "BuyAndBurnAlpha":
        tao += log.args.taoRao;
        alpha -= log.args.alphaRao;
        break;
      case "Unstake": // the alpha sold, fee included, for the TAO paid
        alpha += log.args.alphaRao;
        tao -= log.args.taoRao;
        break;
      case "PayRootDividend": // claimed as TAO: the alpha was sold into the pool; kept as alpha: no trade
        if (log.args.taoRao > 0n) {
          alpha += log.args.alphaRao;
          tao -= log.args.taoRao;
        }
        break;
      case "Accrue":
        tao = log.args.taoReserveRao;
        alpha = log.args.alphaReserveAlphaRao;
        moving = log.args.movingPriceWad;
        break;
      case "DissolveSubnet":
        tao = 0n;
        alpha = 0n;
        break;
    }
    const point = {
      block: Number(log.blockNumber),
      spotPriceWad: spotPriceWadDown(tao, alpha),
      movingPriceWad: moving,
    };
    // One point per block (the chart's time axis needs strictly increasing times): the block's last state wins.
    if (points.length > 0 && points[points.length - 1]!.block === point.block) points[points.length - 1] = point;
    else if (alpha > 0n) points.push(point);
  }
  return { toBlock, points, taoReserveRao: tao, alphaReserveAlphaRao: alpha, events: logs.length };
}

export function usePriceHistory(netuid: number) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { data: blockNumber } = useBlockNumber({ chainId, watch: true });
  return useQuery({
    queryKey: ["priceHistory", chainId, netuid, blockNumber?.toString()],
    enabled: Boolean(client && contracts && blockNumber !== undefined),
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<PriceHistory> => {
      if (!client || !contracts || blockNumber === undefined) throw new Error("not ready");
      const pools = contracts.AlphaPools;
      const selectors = EVENTS.map((name) => toEventSelector(getAbiItem({ abi: alphaPoolsAbi, name })));
      const netuidTopic = encodeEventTopics({ abi: alphaPoolsAbi, eventName: "Stake", args: { netuid } })[1];
      const logs = await getLogs(client, {
        address: pools.address,
        fromBlock: pools.startBlock,
        toBlock: blockNumber,
        topics: [selectors, netuidTopic ?? null],
      });
      return replayPool(chainOrder(parseEventLogs({ abi: alphaPoolsAbi, logs, eventName: [...EVENTS] })), blockNumber);
    },
  });
}
