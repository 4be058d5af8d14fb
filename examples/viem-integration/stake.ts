/**
 * Integrating with Alpha Markets from TypeScript with viem and the project's client library (`client/`): typed
 * contract handles from deployments/<chainId>.json and the Hardhat artifacts, a deadline from the chain's clock,
 * a limit price from a slippage tolerance, and contract errors as one line.
 *
 * It quotes a TAO → alpha stake, then stakes with `addStakeLimit` (the highest price it accepts, in rao per alpha)
 * and a deadline 5 minutes after the chain's latest block, and reads the position back.
 *
 *   npm start                                            # a local chain with seeded subnets
 *   node examples/viem-integration/stake.ts              # stakes 1 TAO on subnet 1 from a dev account
 *
 * Environment:
 *   RPC_URL           JSON-RPC endpoint (default http://127.0.0.1:8545)
 *   NETUID            subnet id (default 1)
 *   AMOUNT_TAO        TAO to stake, e.g. "1.5" (default "1")
 *   SLIPPAGE_PERCENT  how far above the spot price the stake may move it, e.g. "0.5" (default "1")
 *   HOTKEY            bytes32 hotkey to stake to (default: the subnet's first neuron with a validator permit, the
 *                     owner's uid 0 until an epoch gives out more)
 *   PRIVATE_KEY       signer (default on the local chain 31337 only: Hardhat's dev account #19)
 */
import { createPublicClient, createWalletClient, http, parseEventLogs, type Hex, type LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

import {
  checkLimitPriceRao,
  deadlineFromChain,
  describeError,
  formatAlphaRaoAsAlpha,
  formatBpsAsPercent,
  formatPriceWadAsTaoPerAlpha,
  formatRaoAsTao,
  limitPriceFromSlippage,
  parsePercentToBps,
  parseTaoToRao,
  raoToWei,
  viemChainClock,
} from "../../client/index.ts";
import { connectDeployment, loadProjectErrorAbi } from "../../client/node.ts";

const DEV_MNEMONIC = "test test test test test test test test test test test junk";

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

async function main(): Promise<void> {
  const transport = http(env("RPC_URL", "http://127.0.0.1:8545"));
  const publicClient = createPublicClient({ transport });
  const chainId = await publicClient.getChainId();
  const netuid = Number(env("NETUID", "1"));
  const taoRao = parseTaoToRao(env("AMOUNT_TAO", "1")); // "1.5" → 1_500_000_000 rao; an error past 9 decimals
  const slippageBps = parsePercentToBps(env("SLIPPAGE_PERCENT", "1"));

  const privateKey = process.env.PRIVATE_KEY;
  if (!privateKey && chainId !== 31337) throw new Error(`set PRIVATE_KEY (chain ${chainId} is not the local chain)`);
  const account: LocalAccount = privateKey
    ? privateKeyToAccount(privateKey as Hex)
    : mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 19 });
  const walletClient = createWalletClient({ account, transport });

  // Addresses from deployments/<chainId>.json, ABIs from the artifacts it names: typed reads, writes, simulations.
  const { contracts } = await connectDeployment(chainId, { public: publicClient, wallet: walletClient });
  const pools = contracts.AlphaPools;

  let hotkey = process.env.HOTKEY as Hex | undefined;
  if (!hotkey) {
    const n = await contracts.Metagraph.read.neuronCount([netuid]);
    const neurons = await contracts.Metagraph.read.neurons([netuid, 0, n]);
    hotkey = neurons.find((neuron) => neuron.validatorPermit)?.hotkey;
    if (!hotkey) throw new Error(`subnet ${netuid} has no validator with a permit; set HOTKEY`);
  }

  // The quote, and the limit: the highest price (rao per alpha) the stake may move the pool to.
  // Quotes and prices from the lens, as of the current block (the pools store their state as of their last
  // catch-up; the lens applies the emission due since).
  const [alphaQuote, { spotPriceWad }] = await Promise.all([
    contracts.MarketsLens.read.quoteStake([netuid, taoRao]),
    contracts.MarketsLens.read.market([netuid]),
  ]);
  const { limitPriceRao, spotRaoPerAlpha } = limitPriceFromSlippage({ side: "buy", spotPriceWad, slippageBps });
  checkLimitPriceRao({ side: "buy", limitPriceRao, spotRaoPerAlpha }); // a wad here would be rejected, not ignored
  console.log(
    `subnet ${netuid}: ${formatRaoAsTao(taoRao)} TAO → ~${formatAlphaRaoAsAlpha(alphaQuote)} alpha at ` +
      `${formatPriceWadAsTaoPerAlpha(spotPriceWad)} TAO/alpha; limit ${limitPriceRao} rao per alpha ` +
      `(+${formatBpsAsPercent(slippageBps)})`,
  );

  // Unix seconds on the chain's clock (its latest block), never this machine's.
  const deadline = await deadlineFromChain(viemChainClock(publicClient), 300);
  const value = raoToWei(taoRao); // msg.value is wei and must be a whole number of rao
  const args = [hotkey, netuid, limitPriceRao, false, deadline] as const;

  // Simulate first: a revert is reported before anything is signed.
  await pools.simulate.addStakeLimit(args, { value, account });
  const hash = await pools.write.addStakeLimit(args, { value, chain: null });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`addStakeLimit reverted in ${hash}`);
  const [event] = parseEventLogs({ abi: pools.abi, logs: receipt.logs, eventName: "Stake" });
  const coldkey = await pools.read.coldkeyOf([account.address]);
  const position = await pools.read.getStake([hotkey, coldkey, netuid]);
  console.log(
    `staked in ${hash}: +${formatAlphaRaoAsAlpha(event?.args.alphaRao ?? 0n)} alpha ` +
      `(fee ${formatRaoAsTao(event?.args.feeRao ?? 0n)} TAO); position ${formatAlphaRaoAsAlpha(position)} alpha`,
  );
}

main().catch(async (error: unknown) => {
  // One line: a contract error decoded (e.g. "LimitPriceCrossed(limitPriceRao=…, spotPriceRao=…)"), else the message.
  console.error(describeError(error, await loadProjectErrorAbi()));
  process.exitCode = 1;
});
