/**
 * Integrating with Alpha Markets from TypeScript: ethers v6 plus the TypeChain bindings that
 * `npx hardhat compile` writes to types/ethers-contracts (factories, contract types, typed events).
 *
 * It quotes a TAO → alpha swap, and, given a key, stakes into a subnet's pool with slippage and
 * deadline protection, then reads the position back.
 *
 *   ALPHA_POOLS_ADDRESS=0x… npx tsx examples/ethers-integration/stake.ts
 *
 * Environment:
 *   ALPHA_POOLS_ADDRESS  deployed AlphaPools contract (required)
 *   RPC_URL              JSON-RPC endpoint (default http://127.0.0.1:8545, i.e. `npx hardhat node`)
 *   NETUID               subnet id (default 1)
 *   AMOUNT_TAO           TAO to quote and stake, decimal string (default "1")
 *   HOTKEY               bytes32 hotkey to stake to (required for staking)
 *   PRIVATE_KEY          signer; without it the example only reads
 *   SLIPPAGE_BPS         tolerated slippage in basis points (default 50 = 0.5%)
 */
import { formatUnits, isHexString, JsonRpcProvider, parseUnits, Wallet } from "ethers";

import { AlphaPools__factory, type AlphaPools } from "../../types/ethers-contracts/index.js";

/** TAO and alpha have 9 decimals on Bittensor (rao); native TAO on its EVM has 18 (wei). */
const RAO_DECIMALS = 9;
const WEI_PER_RAO = 10n ** 9n;

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") throw new Error(`set ${name}`);
  return value;
}

function bytes32(name: string, value: string): string {
  if (!isHexString(value, 32)) throw new Error(`${name} must be a 0x-prefixed 32-byte hex string`);
  return value;
}

/** Read-only quotes: a view call through the typed contract returns a bigint. */
export async function quoteStake(pools: AlphaPools, netuid: number, taoRao: bigint) {
  const [alphaOut, priceWad] = await Promise.all([
    pools.simSwapTaoForAlpha(netuid, taoRao),
    pools.getAlphaPrice(netuid),
  ]);
  return { alphaOut, priceWad };
}

/** Stakes `taoRao` to `hotkey` on `netuid`; returns the alpha received as reported by the Stake event. */
export async function stake(pools: AlphaPools, hotkey: string, netuid: number, taoRao: bigint, slippageBps: bigint) {
  const runner = pools.runner;
  if (runner?.provider == null) throw new Error("the contract must be connected to a signer with a provider");
  const latest = await runner.provider.getBlock("latest");
  if (latest === null) throw new Error("no latest block");
  const deadline = BigInt(latest.timestamp) + 300n;
  const value = taoRao * WEI_PER_RAO; // msg.value is wei and must be a whole number of rao

  // Views reflect the pool as of its last accrual; a static call of the transaction itself sees the current block.
  const expected = await pools.addStake.staticCall(hotkey, netuid, 0n, deadline, { value });
  const minAlphaOut = (expected * (10_000n - slippageBps)) / 10_000n;

  const tx = await pools.addStake(hotkey, netuid, minAlphaOut, deadline, { value });
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`addStake failed: ${tx.hash}`);

  // Typed event filters: indexed arguments narrow the query, `args` are named and typed.
  const events = await pools.queryFilter(pools.filters.Stake(netuid, hotkey), receipt.blockNumber, receipt.blockNumber);
  const event = events.find((e) => e.transactionHash === receipt.hash);
  if (event === undefined) throw new Error("no Stake event in the receipt");
  return { txHash: receipt.hash, alphaOut: event.args.alphaOut, feeRao: event.args.feeRao };
}

async function main(): Promise<void> {
  const provider = new JsonRpcProvider(env("RPC_URL", "http://127.0.0.1:8545"));
  const netuid = Number(env("NETUID", "1"));
  const taoRao = parseUnits(env("AMOUNT_TAO", "1"), RAO_DECIMALS);
  const slippageBps = BigInt(env("SLIPPAGE_BPS", "50"));

  // The factory's static `connect` gives a typed contract without needing the ABI by hand.
  const pools = AlphaPools__factory.connect(env("ALPHA_POOLS_ADDRESS"), provider);

  const quote = await quoteStake(pools, netuid, taoRao);
  console.log(
    `subnet ${netuid}: ${formatUnits(taoRao, RAO_DECIMALS)} TAO → ~${formatUnits(quote.alphaOut, RAO_DECIMALS)} alpha` +
      ` (price ${formatUnits(quote.priceWad, 18)} TAO/alpha)`,
  );

  const privateKey = process.env.PRIVATE_KEY;
  if (privateKey === undefined || privateKey === "") return;
  const wallet = new Wallet(privateKey, provider);
  const hotkey = bytes32("HOTKEY", env("HOTKEY"));
  const coldkey = await pools.coldkeyOf(wallet.address); // blake2b_256("evm:" ‖ address), as on Bittensor

  const staked = await stake(pools.connect(wallet), hotkey, netuid, taoRao, slippageBps);
  const position = await pools.getStake(hotkey, coldkey, netuid);
  console.log(
    `staked in ${staked.txHash}: +${formatUnits(staked.alphaOut, RAO_DECIMALS)} alpha` +
      ` (fee ${formatUnits(staked.feeRao, RAO_DECIMALS)} TAO); position ${formatUnits(position, RAO_DECIMALS)} alpha`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
