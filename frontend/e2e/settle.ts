/**
 * Settles epochs on the end-to-end tests' chain the way the keepers do (the tests run `npm start` with KEEPERS=0, so
 * the keepers settle the seed's history and then leave the epochs to this helper): close the due epoch (or take the
 * one the seed left open), build its report from chain data with the keeper's `buildEpochReport` (the snapshot read
 * by its `ChainReader`, the engine state replayed from the earlier epochs, the exact Yuma engine), sign it (EIP-712)
 * with two of the three keepers `ignition/parameters/local.json` registers (mnemonic indexes 32–34, quorum 2; their
 * keys from the keeper's `keysFromMnemonic`), submit it and finalise it (the local challenge window is 0). Miners'
 * incentive is left unclaimed, for the dApp to claim.
 */
import {
  createPublicClient,
  createWalletClient,
  http,
  numberToHex,
  parseEther,
  toHex,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

import { gasWithHeadroom } from "../../client/index.ts";
import { loadKeeperAbis } from "../../keeper/chain/contracts.ts";
import { buildEpochReport, MemoryStateCache } from "../../keeper/chain/epochs.ts";
import { ChainReader } from "../../keeper/chain/reads.ts";
import { reportTypedData, type BuiltReport, type Snapshot } from "../../keeper/core/index.ts";
import { keysFromMnemonic } from "../../keeper/service/index.ts";
import { epochSettlementAbi, metagraphAbi, subnetRegistryAbi } from "../src/generated.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
const KEEPER_INDEXES = [32, 33, 34];
/** Sends the settlement transactions (any account may: the signatures are what count). */
const SENDER_INDEX = 52;

export interface Settler {
  /** Reports and finalises the open epoch of `netuid`, or closes the next one first (mining blocks until it is due). */
  settleNext(netuid: number): Promise<{ epoch: number; built: BuiltReport; snapshot: Snapshot }>;
  /** The subnet owner sets weights on every other uid (so the epoch pays miners' incentive). */
  ownerSetsWeights(netuid: number): Promise<void>;
  client: PublicClient;
}

export async function createSettler(options: {
  rpcUrl: string;
  contracts: Record<string, { address: Hex; startBlock: number }>;
}): Promise<Settler> {
  const client = createPublicClient({ transport: http(options.rpcUrl) }) as PublicClient;
  const chainId = await client.getChainId();
  const c = (name: string) => {
    const found = options.contracts[name];
    if (!found) throw new Error(`the deployment has no ${name}`);
    return found;
  };
  const settlement = c("EpochSettlement").address;
  const reader = new ChainReader({
    client,
    chainId: BigInt(chainId),
    addresses: {
      settlement,
      registry: c("SubnetRegistry").address,
      metagraph: c("Metagraph").address,
      pools: c("AlphaPools").address,
      startBlock: c("Metagraph").startBlock,
    },
    abis: await loadKeeperAbis(),
  });
  const keepers = (await keysFromMnemonic(MNEMONIC, KEEPER_INDEXES)).map((key) => privateKeyToAccount(key));
  const sender = mnemonicToAccount(MNEMONIC, { addressIndex: SENDER_INDEX });
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [sender.address, toHex(parseEther("100"))] as never,
  });
  const ctx = { reader, cache: new MemoryStateCache() };

  async function send(
    account: LocalAccount,
    call: { address: Hex; abi: readonly unknown[]; functionName: string; args: readonly unknown[] },
  ): Promise<void> {
    const wallet = createWalletClient({ account, transport: http(options.rpcUrl) });
    const { request } = await client.simulateContract({ ...call, account } as never);
    const gas = gasWithHeadroom(await client.estimateContractGas({ ...call, account }));
    const hash = await wallet.writeContract({ ...(request as object), gas, chain: null } as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${call.functionName} reverted in block ${receipt.blockNumber}`);
  }

  async function progress(netuid: number) {
    const [generation, closedEpoch, finalisedEpoch, nextDueBlock] = await client.readContract({
      address: settlement,
      abi: epochSettlementAbi,
      functionName: "progress",
      args: [netuid],
    });
    return { generation, closedEpoch, finalisedEpoch, nextDueBlock };
  }

  async function settleNext(netuid: number) {
    let p = await progress(netuid);
    if (p.nextDueBlock === 0n) throw new Error(`netuid ${netuid} does not emit`);
    if (p.closedEpoch === p.finalisedEpoch) {
      const head = await client.getBlockNumber({ cacheTime: 0 });
      // The close is simulated against the latest block, so that block must be due already.
      if (p.nextDueBlock > head) {
        await client.request({
          method: "hardhat_mine" as never,
          params: [numberToHex(p.nextDueBlock - head)] as never,
        });
      }
      await send(sender, { address: settlement, abi: epochSettlementAbi, functionName: "closeEpoch", args: [netuid] });
      p = await progress(netuid);
    }
    // The open epoch (closed here, or left open by the seed's keepers), built from chain data as a keeper builds it:
    // the snapshot at its block, the engine state replayed from the epochs before it and checked against the chain.
    const epoch = p.closedEpoch;
    const built = await buildEpochReport(ctx, netuid, p.generation, epoch);
    const signers = keepers.slice(0, 2).sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
    const signatures: Hex[] = [];
    for (const k of signers) signatures.push(await k.signTypedData(reportTypedData(built.report)));
    await send(sender, {
      address: settlement,
      abi: epochSettlementAbi,
      functionName: "submitReport",
      args: [built.report, signatures],
    });
    await send(sender, {
      address: settlement,
      abi: epochSettlementAbi,
      functionName: "finaliseEpoch",
      args: [built.report, built.validators.map((v) => ({ ...v })), built.permitWords.slice()],
    });
    return { epoch, built, snapshot: built.snapshot };
  }

  async function ownerSetsWeights(netuid: number) {
    const subnet = await client.readContract({
      address: c("SubnetRegistry").address,
      abi: subnetRegistryAbi,
      functionName: "subnet",
      args: [netuid],
    });
    let owner: LocalAccount | undefined;
    for (let i = 0; i < 20 && !owner; i++) {
      const candidate = mnemonicToAccount(MNEMONIC, { addressIndex: i });
      if (candidate.address.toLowerCase() === subnet.owner.toLowerCase()) owner = candidate;
    }
    if (!owner) throw new Error(`netuid ${netuid}'s owner ${subnet.owner} is not a mnemonic account below 20`);
    const neurons = await client.readContract({
      address: c("Metagraph").address,
      abi: metagraphAbi,
      functionName: "neurons",
      args: [netuid, 0, 65_535],
    });
    const ownerUid = neurons.find((n) => n.hotkey === subnet.ownerHotkey)?.uid;
    const uids = neurons.map((n) => n.uid).filter((uid) => uid !== ownerUid);
    // Rising weights, so miners earn different incentives.
    const values = uids.map((_, i) => 1000 + 500 * i);
    await send(owner, {
      address: c("Metagraph").address,
      abi: metagraphAbi,
      functionName: "setWeights",
      args: [netuid, uids, values, 0n],
    });
  }

  return { settleNext, ownerSetsWeights, client };
}
