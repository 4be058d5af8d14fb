/**
 * Gas and latency of epoch settlement, measured on the in-process chain with the real keeper service:
 *
 *   close + submit + finalise at 64 and at 256 uids with 64 validators, split into the part that does not depend on
 *   the number of validators paid and the part per validator (from two finalisations of the 256-uid subnet: 8
 *   validators paid, then 64); a miner's claim (the usual one, and its very first, which opens its stake position),
 *   and the same two per uid in a batch of CLAIMS_PER_BATCH miners (`claimIncentives`, as the keeper claims);
 *   the keeper's wall time from a due block to a finalised report (three keepers, quorum 2, on this machine).
 *
 * Every validator has root stake too, so each payout credits its take, its pool and its root stakers (the most
 * work a payout does). Prints a table and merges the figures into bench/results.json (other keys are kept).
 * Benchmarks report; they never fail on the numbers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import pino from "pino";
import { parseEventLogs, type Hex } from "viem";

import { buildEpochReport, MemoryStateCache } from "../keeper/chain/epochs.ts";
import { loadKeeperAbis } from "../keeper/chain/contracts.ts";
import { ChainReader } from "../keeper/chain/reads.ts";
import { CLAIMS_PER_BATCH, claimsOf, leafProof, resultsTree } from "../keeper/core/index.ts";
import { createKeeperService } from "../keeper/service/index.ts";
import { createWorld, keeperKeys, prng, type World, type WorldSubnet } from "./lib/keeper-world.ts";

const VALIDATORS = 64;
const FEW = 8;

async function gasOf(w: World, hash: Hex): Promise<bigint> {
  return (await w.publicClient.getTransactionReceipt({ hash })).gasUsed;
}

/** The transaction of each settlement event of an epoch. */
async function epochTransactions(w: World, netuid: number, epoch: number) {
  const logs = await w.publicClient.getLogs({ address: w.economy.settlement.address, fromBlock: 0n });
  const events = parseEventLogs({ abi: w.economy.settlement.abi, logs });
  const find = (name: string) =>
    events.find(
      (e) =>
        e.eventName === name &&
        (e.args as { netuid: number; epoch: number }).netuid === netuid &&
        (e.args as { epoch: number }).epoch === epoch,
    )?.transactionHash;
  return { close: find("CloseEpoch"), submit: find("SubmitReport"), finalise: find("FinaliseEpoch") };
}

async function scenario(uids: number) {
  const w = await createWorld({ seed: `bench-${uids}` });
  const rand = prng(uids);
  // 64 validators in all: the owner's uid and 63 more; the rest are miners.
  const subnet: WorldSubnet = await w.addSubnet({
    name: `Bench${uids}`,
    validators: VALIDATORS - 1,
    miners: uids - VALIDATORS,
  });
  await w.stake(subnet.owner, subnet.owner.coldkey, subnet.netuid, "10");
  for (const [i, v] of subnet.validators.entries()) {
    await w.stake(v, v.coldkey, subnet.netuid, String(20 + i));
    await w.stake(v, v.coldkey, 0, String(50 + i));
  }
  const targets = async () => {
    const list: number[] = [];
    const all = [...subnet.validators.map((v) => v.coldkey), ...subnet.miners.map((m) => m.hotkey)];
    for (const hotkey of uids === VALIDATORS ? all : subnet.miners.map((m) => m.hotkey))
      list.push(await w.uidOf(subnet.netuid, hotkey));
    return list;
  };
  const weigh = async (who: (typeof subnet.validators)[number]) => {
    const own = await w.uidOf(subnet.netuid, who.coldkey);
    const list = (await targets()).filter((u) => u !== own);
    await w.wait(
      await who.metagraph.write.setWeights([subnet.netuid, list, list.map(() => 1 + Math.floor(rand() * 65_534)), 0n]),
    );
  };
  await weigh(subnet.owner);

  const service = await createKeeperService({
    transport: w.transport,
    chainId: w.chainId,
    addresses: w.addresses,
    keys: keeperKeys(),
    log: pino({ level: "silent" }),
    graceMs: 0,
    claimPolicy: "none",
  });
  const progress = async () => w.economy.settlement.read.progress([subnet.netuid]);
  const settle = async (epoch: number): Promise<number> => {
    const [, , , due] = await progress();
    const now = await w.publicClient.getBlockNumber();
    if (due > now) await w.testClient.mine({ blocks: Number(due - now) });
    const start = performance.now();
    while ((await progress())[2] < epoch) {
      await service.tickAll();
      if ((await progress())[2] < epoch) await w.testClient.mine({ blocks: 1 });
    }
    return performance.now() - start;
  };

  await settle(1); // permits: the top 64 by stake
  for (const v of subnet.validators.slice(0, FEW - 1)) await weigh(v);
  await weigh(subnet.owner);
  await settle(2);
  for (const v of subnet.validators) await weigh(v);
  await weigh(subnet.owner);
  const latencyMs = await settle(3);

  const reader = new ChainReader({
    client: w.publicClient,
    addresses: w.addresses,
    abis: await loadKeeperAbis(),
    chainId: BigInt(w.chainId),
  });
  const ctx = { reader, cache: new MemoryStateCache() };
  const payouts = async (epoch: number) => (await buildEpochReport(ctx, subnet.netuid, 1, epoch)).validators.length;
  const [few, all] = [await payouts(2), await payouts(3)];
  const t2 = await epochTransactions(w, subnet.netuid, 2);
  const t3 = await epochTransactions(w, subnet.netuid, 3);
  const finaliseFew = await gasOf(w, t2.finalise!);
  const finaliseAll = await gasOf(w, t3.finalise!);
  const perValidator = Number(finaliseAll - finaliseFew) / (all - few);
  const close = await gasOf(w, t3.close!);
  const submit = await gasOf(w, t3.submit!);

  // One miner's claims: epoch 2 (its first stake on the subnet: a new position) then epoch 3 (the usual claim).
  const claimOf = async (epoch: number, hotkey?: Hex) => {
    const built = await buildEpochReport(ctx, subnet.netuid, 1, epoch);
    const tree = resultsTree(built.leaves);
    const leaf = built.leaves.find((l) => l.incentiveAlphaRao > 0n && (hotkey === undefined || l.hotkey === hotkey))!;
    const hash = await w.economy.settlement.write.claimIncentive([
      subnet.netuid,
      epoch,
      leaf.uid,
      leaf.hotkey,
      leaf.incentiveAlphaRao,
      leaf.alphaDividendAlphaRao,
      leaf.rootDividendAlphaRao,
      leafProof(tree, leaf.uid),
    ]);
    return { gas: await gasOf(w, hash), hotkey: leaf.hotkey };
  };
  const paid = async (epoch: number) =>
    new Set(
      (await buildEpochReport(ctx, subnet.netuid, 1, epoch)).leaves
        .filter((l) => l.incentiveAlphaRao > 0n)
        .map((l) => l.hotkey),
    );
  // Claims are measured on the 256-uid subnet (at 64 uids every neuron is a validator).
  // A batch: other miners paid in both epochs, claimed together for epoch 2 (their first), then epoch 3.
  const batchOf = async (epoch: number, hotkeys: Set<Hex>) => {
    const built = await buildEpochReport(ctx, subnet.netuid, 1, epoch);
    const leaves = built.leaves.filter((l) => hotkeys.has(l.hotkey));
    const hash = await w.economy.settlement.write.claimIncentives([
      subnet.netuid,
      epoch,
      claimsOf(resultsTree(built.leaves), leaves),
    ]);
    return Number(await gasOf(w, hash)) / leaves.length;
  };
  let firstClaim = { gas: 0n };
  let claim = 0n;
  let batch = { size: 0, firstClaimPerUid: 0, claimPerUid: 0 };
  if (uids > VALIDATORS) {
    const [paid2, paid3] = [await paid(2), await paid(3)];
    const both = [...paid2].filter((h) => paid3.has(h));
    const miner = both[0]!;
    firstClaim = await claimOf(2, miner);
    claim = (await claimOf(3, miner)).gas;
    const batched = new Set(both.slice(1, 1 + CLAIMS_PER_BATCH));
    batch = { size: batched.size, firstClaimPerUid: await batchOf(2, batched), claimPerUid: await batchOf(3, batched) };
  }
  await service.stop();
  return {
    uids,
    few,
    all,
    close,
    submit,
    finaliseFew,
    finaliseAll,
    perValidator,
    claim,
    firstClaim: firstClaim.gas,
    batch,
    latencyMs,
  };
}

const large = await scenario(256);
const small = await scenario(64);
// The per-validator part comes from the 256-uid subnet, where the two finalisations pay 8 and 64 validators (at 64
// uids every neuron is a validator and both pay all of them); it does not depend on the uid count.
const fixedOf = (s: typeof small) => Number(s.close + s.submit + s.finaliseAll) - large.perValidator * s.all;
for (const s of [small, large]) {
  console.log(
    `${s.uids} uids: close ${s.close}, submit ${s.submit}, finalise ${s.finaliseFew} (${s.few} payouts) / ` +
      `${s.finaliseAll} (${s.all} payouts), fixed ${Math.round(fixedOf(s))}, first claim ${s.firstClaim}, ` +
      `claim ${s.claim}, due→settled ${Math.round(s.latencyMs)} ms`,
  );
}
console.log(`per validator ${Math.round(large.perValidator)} (from ${large.few} and ${large.all} payouts at 256 uids)`);
console.log(
  `a batch of ${large.batch.size} claims: ${Math.round(large.batch.firstClaimPerUid)} per uid (first claims), ` +
    `${Math.round(large.batch.claimPerUid)} per uid (usual)`,
);
const results = {
  settlement_fixed_gas_64_uids: Math.round(fixedOf(small)),
  settlement_fixed_gas_256_uids: Math.round(fixedOf(large)),
  settlement_per_validator_gas: Math.round(large.perValidator),
  settlement_claim_gas: Number(large.claim),
  settlement_first_claim_gas: Number(large.firstClaim),
  settlement_batch_claim_gas_per_uid: Math.round(large.batch.claimPerUid),
  settlement_batch_first_claim_gas_per_uid: Math.round(large.batch.firstClaimPerUid),
  keeper_due_to_settled_ms: Math.round(large.latencyMs),
  settlement_close_gas_256_uids: Number(large.close),
  settlement_submit_gas_256_uids: Number(large.submit),
  settlement_finalise_gas_256_uids_64_validators: Number(large.finaliseAll),
};
const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log(`\n${"figure".padEnd(width)}  value`);
for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value}`);
const out = path.resolve(import.meta.dirname, "../bench/results.json");
await mkdir(path.dirname(out), { recursive: true });
const previous = await readFile(out, "utf8")
  .then((t) => JSON.parse(t) as Record<string, unknown>)
  .catch(() => ({}));
await writeFile(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
