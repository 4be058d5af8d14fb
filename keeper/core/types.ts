/**
 * Types of the keeper's pure core: what a snapshot holds, and the report the keepers sign.
 *
 * Amounts are bigints with their unit in the name (`*AlphaRao`, `*Rao`, `*Wad`); blocks and uids are numbers.
 */
import type { Address, Hex } from "viem";

import type { EpochOutputs, EpochParams, EpochState, SparseRow } from "../yuma/index.ts";

/** The epoch's pot as `closeEpoch` set it aside (alpha-rao of the subnet). */
export interface Pot {
  readonly ownerCutAlphaRao: bigint;
  readonly serverAlphaRao: bigint;
  readonly validatorAlphaRao: bigint;
  readonly rootAlphaRao: bigint;
}

/** The hyperparameters the epoch reads (the registry's names and units). */
export interface SnapshotHyperparameters {
  readonly tempo: number;
  readonly maxValidators: number;
  readonly kappaOf65535: number;
  readonly bondsMovingAveragePpm: number;
  readonly bondsPenaltyOf65535: number;
  readonly yuma3: boolean;
  readonly liquidAlpha: boolean;
  readonly alphaLowOf65535: number;
  readonly alphaHighOf65535: number;
  readonly alphaSigmoidSteepness: number;
  readonly activityCutoff: number;
}

/** One neuron at the snapshot block (`Metagraph.neurons`). */
export interface SnapshotNeuron {
  readonly uid: number;
  readonly hotkey: Hex;
  /** The hotkey's owner coldkey. */
  readonly coldkey: Hex;
  readonly registeredAt: number;
  readonly lastUpdate: number;
  /** The permit the metagraph records (the previous epoch's, cleared on replacement). */
  readonly validatorPermit: boolean;
  readonly alphaStakeRao: bigint;
  readonly rootStakeRao: bigint;
}

/** A weight row as set on chain (before max-upscaling), with the block and hotkey that set it. */
export interface WeightRow {
  readonly uids: readonly number[];
  readonly values: readonly number[];
}

/** Everything an epoch's report depends on, read at the snapshot block. */
export interface Snapshot {
  readonly chainId: bigint;
  readonly settlement: Address;
  readonly netuid: number;
  readonly generation: number;
  readonly epoch: number;
  readonly snapshotBlock: number;
  readonly pot: Pot;
  /**
   * The validator bound `closeEpoch` recorded (`EpochRecord.maxValidators`): finalisation pays the dividends of at
   * most this many uids plus the owner's; the others claim theirs with their leaf.
   */
  readonly maxValidatorsAtClose: number;
  readonly hyperparameters: SnapshotHyperparameters;
  readonly ownerHotkey: Hex;
  readonly ownerColdkey: Hex;
  /** subtensor's TaoWeight × 1e18 (`AlphaPools.coinbaseParams`). */
  readonly taoWeightWad: bigint;
  readonly neurons: readonly SnapshotNeuron[];
  /** Each uid's current weights (null: none), rebuilt from `WeightsSet` logs and checked against the commitments. */
  readonly weights: readonly (WeightRow | null)[];
  /** `Metagraph.weightsCommitment` of each uid at the snapshot block. */
  readonly weightsCommitments: readonly Hex[];
}

/** A signed epoch result, field for field `IEpochSettlement.Report`. */
export interface Report {
  readonly chainId: bigint;
  readonly settlement: Address;
  readonly netuid: number;
  readonly generation: number;
  readonly epoch: number;
  readonly snapshotBlock: number;
  readonly inputsHash: Hex;
  readonly resultsRoot: Hex;
  readonly stateHash: Hex;
  readonly validatorsHash: Hex;
  readonly permitsHash: Hex;
  readonly incentiveAlphaRao: bigint;
  readonly burnedIncentiveAlphaRao: bigint;
  readonly alphaDividendsAlphaRao: bigint;
  readonly rootDividendsAlphaRao: bigint;
  readonly minerBurnOf65535: number;
}

/** `IEpochSettlement.ValidatorPayout`. */
export interface ValidatorPayout {
  readonly hotkey: Hex;
  readonly uid: number;
  readonly alphaDividendAlphaRao: bigint;
  readonly rootDividendAlphaRao: bigint;
}

/** One uid's results: a leaf of the results tree. */
export interface ResultLeaf {
  readonly uid: number;
  readonly hotkey: Hex;
  /** What the miner can claim (0 for the subnet owner's hotkeys, whose incentive is burned). */
  readonly incentiveAlphaRao: bigint;
  readonly alphaDividendAlphaRao: bigint;
  readonly rootDividendAlphaRao: bigint;
}

/** The leaf as the tree encodes it: (uint16, bytes32, uint64, uint64, uint64). */
export type LeafTuple = [number, Hex, bigint, bigint, bigint];

export const LEAF_TYPES = ["uint16", "bytes32", "uint64", "uint64", "uint64"] as const;

/**
 * At most this many leaves per `claimIncentives` call (the contract allows 128): a batch of first claims, each
 * opening a stake position, stays within a few million gas. The keepers and the dApp both claim in batches of it.
 */
export const CLAIMS_PER_BATCH = 32;

/** The engine's view of one epoch: its state, inputs and parameters. */
export interface EngineRun {
  readonly params: EpochParams;
  readonly state: EpochState;
  readonly stake: readonly bigint[];
  readonly weights: readonly SparseRow[];
  readonly emissionAlphaRao: bigint;
}

/** Everything built for one epoch: the report and what finalisation and claims need. */
export interface BuiltReport {
  readonly report: Report;
  /** Every uid's results; the report's totals are their sums. */
  readonly leaves: readonly ResultLeaf[];
  /** The dividends finalisation pays (`payoutList`): the other uids with a dividend claim it with their leaf. */
  readonly validators: readonly ValidatorPayout[];
  readonly permitWords: readonly bigint[];
  /** The state the next epoch starts from (before the replacements that happen until its snapshot). */
  readonly nextState: EpochState;
  readonly outputs: EpochOutputs;
  readonly run: EngineRun;
}
