/**
 * The epoch's payout from the engine's per-uid emission, as subtensor's `distribute_emission` splits it, with the
 * model's simplifications (one mechanism, no child keys, incentive staked to the hotkey's own owner):
 *
 *   incentive_i = serverEmission_i; the subnet owner's hotkeys (owned by its coldkey, and its owner hotkey) have
 *   theirs burned: their leaf says 0, the sum goes to `burnedIncentiveAlphaRao`, and
 *   minerBurnOf65535 = ⌊burned × 65535 / Σ incentive⌋ (0 when Σ = 0).
 *   validatorAlpha = pot.validator, plus pot.server when Σ incentive = 0, less any rounding excess of Σ incentive
 *   over pot.server (see `distribute`).
 *   For each uid with d = validatorEmission_i: T = ⌊root × w⌋, rootdiv = ⌊d × T / (alpha + T)⌋ (0 if both 0),
 *   alphadiv = d − rootdiv; rootDividend = ⌊pot.root × rootdiv / Σ rootdiv⌋ and
 *   alphaDividend = ⌊validatorAlpha × alphadiv / Σ alphadiv⌋ (0 when a sum is 0).
 *
 * Every uid's results are a leaf and the totals are their sums; finalisation pays the dividends of a bounded list of
 * uids (`payoutList`) and the others claim theirs with their leaf, as miners claim incentive.
 *
 * Pure; every division rounds down, so the totals never exceed the pot.
 */
import type { EpochOutputs } from "../yuma/index.ts";
import { ownerUidOf, weightedRootStakeDown } from "./inputs.ts";
import type { ResultLeaf, Snapshot, ValidatorPayout } from "./types.ts";

export const FRACTION_65535 = 65_535n;

export interface Payout {
  readonly leaves: ResultLeaf[];
  readonly validators: ValidatorPayout[];
  readonly incentiveAlphaRao: bigint;
  readonly burnedIncentiveAlphaRao: bigint;
  readonly alphaDividendsAlphaRao: bigint;
  readonly rootDividendsAlphaRao: bigint;
  readonly minerBurnOf65535: number;
}

/** Whether a uid's incentive is burned: its hotkey is the owner hotkey or belongs to the owner's coldkey. */
export function isOwnerHotkey(snapshot: Snapshot, uid: number): boolean {
  const n = snapshot.neurons[uid]!;
  return n.hotkey === snapshot.ownerHotkey || n.coldkey === snapshot.ownerColdkey;
}

export function distribute(snapshot: Snapshot, outputs: EpochOutputs): Payout {
  const n = snapshot.neurons.length;
  const { pot, taoWeightWad } = snapshot;

  let totalIncentive = 0n;
  let burned = 0n;
  const incentive: bigint[] = new Array<bigint>(n);
  for (let uid = 0; uid < n; uid++) {
    const amount = outputs.serverEmission[uid]!;
    totalIncentive += amount;
    if (isOwnerHotkey(snapshot, uid)) {
      burned += amount;
      incentive[uid] = 0n;
    } else incentive[uid] = amount;
  }
  const minerBurnOf65535 = totalIncentive === 0n ? 0 : Number((burned * FRACTION_65535) / totalIncentive);
  // The engine gives miners E × Σ incentive share, and that share can pass 1/2 by a few 2^-32 (each normalised
  // vector sums to slightly less than one after flooring), so Σ incentive can exceed the miners' bucket by a few
  // alpha-rao while the dividends take the whole validator and root buckets. subtensor mints the difference; the
  // settlement contract refuses any report above the pot (`TotalsAbovePot`), which would stall the subnet. The
  // excess is therefore taken from the dividend buckets, validators' first.
  const excess = totalIncentive > pot.serverAlphaRao ? totalIncentive - pot.serverAlphaRao : 0n;
  const validatorBucket = pot.validatorAlphaRao + (totalIncentive === 0n ? pot.serverAlphaRao : 0n);
  const validatorAlpha = validatorBucket > excess ? validatorBucket - excess : 0n;
  const fromRoot = excess > validatorBucket ? excess - validatorBucket : 0n;
  const rootAlpha = pot.rootAlphaRao > fromRoot ? pot.rootAlphaRao - fromRoot : 0n;

  // Each dividend split by the validator's own stake mix: root-weighted part and alpha part.
  const rootShare: bigint[] = new Array<bigint>(n).fill(0n);
  const alphaShare: bigint[] = new Array<bigint>(n).fill(0n);
  let rootShareSum = 0n;
  let alphaShareSum = 0n;
  for (let uid = 0; uid < n; uid++) {
    const d = outputs.validatorEmission[uid]!;
    if (d === 0n) continue;
    const neuron = snapshot.neurons[uid]!;
    const weightedRoot = weightedRootStakeDown(neuron.rootStakeRao, taoWeightWad);
    const denominator = neuron.alphaStakeRao + weightedRoot;
    const rootPart = denominator === 0n ? 0n : (d * weightedRoot) / denominator;
    rootShare[uid] = rootPart;
    alphaShare[uid] = d - rootPart;
    rootShareSum += rootPart;
    alphaShareSum += d - rootPart;
  }

  const leaves: ResultLeaf[] = [];
  let incentiveSum = 0n;
  let alphaSum = 0n;
  let rootSum = 0n;
  for (let uid = 0; uid < n; uid++) {
    const alphaDividend = alphaShareSum === 0n ? 0n : (validatorAlpha * alphaShare[uid]!) / alphaShareSum;
    const rootDividend = rootShareSum === 0n ? 0n : (rootAlpha * rootShare[uid]!) / rootShareSum;
    const hotkey = snapshot.neurons[uid]!.hotkey;
    leaves.push({
      uid,
      hotkey,
      incentiveAlphaRao: incentive[uid]!,
      alphaDividendAlphaRao: alphaDividend,
      rootDividendAlphaRao: rootDividend,
    });
    incentiveSum += incentive[uid]!;
    alphaSum += alphaDividend;
    rootSum += rootDividend;
  }
  return {
    leaves,
    validators: payoutList(leaves, ownerUidOf(snapshot), snapshot.maxValidatorsAtClose),
    incentiveAlphaRao: incentiveSum,
    burnedIncentiveAlphaRao: burned,
    alphaDividendsAlphaRao: alphaSum,
    rootDividendsAlphaRao: rootSum,
    minerBurnOf65535,
  };
}

/** A leaf's dividends, alpha and root. */
export function dividendsOf(leaf: ResultLeaf): bigint {
  return leaf.alphaDividendAlphaRao + leaf.rootDividendAlphaRao;
}

/**
 * The dividends `finaliseEpoch` pays: at most `maxValidators` + 1 uids (the bound the epoch record fixed at the
 * close, plus the owner's uid), in ascending uid order. With consensus, dividends go only to uids holding a permit,
 * so every uid with a dividend fits (unless the bound was lowered since the permits were given). Without consensus
 * Yuma pays by stake, to every staked uid; the list then keeps the owner's uid and the largest dividends (alpha +
 * root; on a tie the lower uid), and the other uids claim theirs with their leaf. Deterministic: every keeper signs
 * the same list (the report's `validatorsHash`).
 */
export function payoutList(
  leaves: readonly ResultLeaf[],
  ownerUid: number | null,
  maxValidators: number,
): ValidatorPayout[] {
  const bound = maxValidators + 1;
  const withDividends = leaves.filter((l) => dividendsOf(l) !== 0n);
  let listed = withDividends;
  if (withDividends.length > bound) {
    const ranked = withDividends.slice().sort((a, b) => {
      if ((a.uid === ownerUid) !== (b.uid === ownerUid)) return a.uid === ownerUid ? -1 : 1;
      const [da, db] = [dividendsOf(a), dividendsOf(b)];
      return da !== db ? (da > db ? -1 : 1) : a.uid - b.uid;
    });
    listed = ranked.slice(0, bound).sort((a, b) => a.uid - b.uid);
  }
  return listed.map((l) => ({
    hotkey: l.hotkey,
    uid: l.uid,
    alphaDividendAlphaRao: l.alphaDividendAlphaRao,
    rootDividendAlphaRao: l.rootDividendAlphaRao,
  }));
}

/**
 * Whether a claim of `leaf` credits anything: its incentive, or its dividends when finalisation did not pay them
 * (`paidUids`: the uids of the accepted validator list).
 */
export function claimDue(leaf: ResultLeaf, paidUids: ReadonlySet<number>): boolean {
  return leaf.incentiveAlphaRao !== 0n || (dividendsOf(leaf) !== 0n && !paidUids.has(leaf.uid));
}

/** Permit bitmap words: bit (uid mod 256) of word ⌊uid / 256⌋, ⌈n / 256⌉ words. */
export function permitWords(permits: readonly boolean[]): bigint[] {
  const words = new Array<bigint>(Math.ceil(permits.length / 256)).fill(0n);
  permits.forEach((p, uid) => {
    if (p) words[uid >> 8] = words[uid >> 8]! | (1n << BigInt(uid & 0xff));
  });
  return words;
}
