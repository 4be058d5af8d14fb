/**
 * Integrating with Alpha Markets from TypeScript: ethers v6 plus the TypeChain bindings that
 * `npx hardhat compile` writes to types/ethers-contracts (factories, contract types, typed events), and the
 * project's client library (`client/`) for units, deadlines, slippage and errors.
 *
 * It quotes a TAO → alpha swap, and, given a key, stakes into a subnet's pool with slippage and
 * deadline protection, then reads the position back.
 *
 *   npx tsx examples/ethers-integration/stake.ts        # against `npm start`'s chain
 *
 * Environment:
 *   RPC_URL              JSON-RPC endpoint (default http://127.0.0.1:8545, i.e. `npm start`)
 *   ALPHA_POOLS_ADDRESS  AlphaPools (default: from deployments/<chainId>.json)
 *   MARKETS_LENS_ADDRESS MarketsLens, for quotes (default: from deployments/<chainId>.json)
 *   NETUID               subnet id (default 1)
 *   AMOUNT_TAO           TAO to quote and stake, e.g. "1.5" (default "1")
 *   HOTKEY               bytes32 hotkey to stake to (required for staking)
 *   PRIVATE_KEY          signer; without it the example only reads
 *   SLIPPAGE_PERCENT     tolerated slippage, e.g. "0.5" (default 0.5 %)
 */
import { isHexString, JsonRpcProvider, Wallet } from "ethers";

import {
  deadlineFromChain,
  describeError,
  ethersChainClock,
  formatAlphaRaoAsAlpha,
  formatBpsAsPercent,
  formatPriceWadAsTaoPerAlpha,
  formatRaoAsTao,
  minOutUp,
  parsePercentToBps,
  parseTaoToRao,
  raoToWei,
} from "../../client/index.ts";
import { loadDeployment, loadProjectErrorAbi } from "../../client/node.ts";
import {
  AlphaPools__factory,
  MarketsLens__factory,
  type AlphaPools,
  type MarketsLens,
} from "../../types/ethers-contracts/index.js";

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`set ${name}`);
  return value;
}

function bytes32(name: string, value: string): string {
  if (!isHexString(value, 32)) throw new Error(`${name} must be a 0x-prefixed 32-byte hex string`);
  return value;
}

/** Read-only quotes from the lens, as of the current block: a view call through the typed contract. */
export async function quoteStake(lens: MarketsLens, netuid: number, taoRao: bigint) {
  const [alphaOut, market] = await Promise.all([lens.quoteStake(netuid, taoRao), lens.market(netuid)]);
  return { alphaOut, priceWad: market.spotPriceWad };
}

/** Stakes `taoRao` to `hotkey` on `netuid`; returns the alpha received as reported by the Stake event. */
export async function stake(pools: AlphaPools, hotkey: string, netuid: number, taoRao: bigint, slippageBps: bigint) {
  const runner = pools.runner;
  if (runner?.provider == null) throw new Error("the contract must be connected to a signer with a provider");
  // Unix seconds on the chain's clock (its latest block), never this machine's.
  const deadline = await deadlineFromChain(ethersChainClock(runner.provider), 300);
  const value = raoToWei(taoRao); // msg.value is wei and must be a whole number of rao

  // Views reflect the pool as of its last accrual; a static call of the transaction itself sees the current block.
  const expected = await pools.addStake.staticCall(hotkey, netuid, 0n, deadline, { value });
  const minAlphaOut = minOutUp(expected, slippageBps);

  const tx = await pools.addStake(hotkey, netuid, minAlphaOut, deadline, { value });
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`addStake failed: ${tx.hash}`);

  // Typed event filters: indexed arguments narrow the query, `args` are named and typed.
  const events = await pools.queryFilter(pools.filters.Stake(netuid, hotkey), receipt.blockNumber, receipt.blockNumber);
  const event = events.find((e) => e.transactionHash === receipt.hash);
  if (event === undefined) throw new Error("no Stake event in the receipt");
  return { txHash: receipt.hash, alphaOut: event.args.alphaRao, feeRao: event.args.feeRao };
}

async function main(): Promise<void> {
  const provider = new JsonRpcProvider(env("RPC_URL", "http://127.0.0.1:8545"));
  const netuid = Number(env("NETUID", "1"));
  const taoRao = parseTaoToRao(env("AMOUNT_TAO", "1")); // "1.5" → 1_500_000_000 rao, an error past 9 decimals
  const slippageBps = parsePercentToBps(env("SLIPPAGE_PERCENT", "0.5"));

  // The factory's static `connect` gives a typed contract without needing the ABI by hand.
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployment =
    process.env.ALPHA_POOLS_ADDRESS && process.env.MARKETS_LENS_ADDRESS ? undefined : await loadDeployment(chainId);
  const poolsAddress = process.env.ALPHA_POOLS_ADDRESS || deployment!.contracts.AlphaPools.address;
  const lensAddress = process.env.MARKETS_LENS_ADDRESS || deployment!.contracts.MarketsLens.address;
  const pools = AlphaPools__factory.connect(poolsAddress, provider);
  const lens = MarketsLens__factory.connect(lensAddress, provider);

  const quote = await quoteStake(lens, netuid, taoRao);
  console.log(
    `subnet ${netuid}: ${formatRaoAsTao(taoRao)} TAO → ~${formatAlphaRaoAsAlpha(quote.alphaOut)} alpha` +
      ` (price ${formatPriceWadAsTaoPerAlpha(quote.priceWad)} TAO/alpha)`,
  );

  const privateKey = process.env.PRIVATE_KEY;
  if (privateKey === undefined || privateKey === "") return;
  const wallet = new Wallet(privateKey, provider);
  const hotkey = bytes32("HOTKEY", env("HOTKEY"));
  const coldkey = await pools.coldkeyOf(wallet.address); // blake2b_256("evm:" ‖ address), as on Bittensor

  const staked = await stake(pools.connect(wallet), hotkey, netuid, taoRao, slippageBps);
  const position = await pools.getStake(hotkey, coldkey, netuid);
  console.log(
    `staked in ${staked.txHash} (slippage ${formatBpsAsPercent(slippageBps)}): +${formatAlphaRaoAsAlpha(staked.alphaOut)} alpha` +
      ` (fee ${formatRaoAsTao(staked.feeRao)} TAO); position ${formatAlphaRaoAsAlpha(position)} alpha`,
  );
}

main().catch(async (err: unknown) => {
  // One line: a contract error decoded (e.g. "DeadlineExpired(deadline=…, timestamp=…)"), else the message.
  console.error(describeError(err, await loadProjectErrorAbi()));
  process.exitCode = 1;
});
