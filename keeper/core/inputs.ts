/**
 * Snapshot → the Yuma engine's inputs and parameters, and the inputs hash that commits to them.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";

import { maxUpscaleU16, type EpochParams, type EpochState, type SparseRow } from "../yuma/index.ts";
import { stateHash } from "./state.ts";
import type { EngineRun, Snapshot, SnapshotNeuron } from "./types.ts";

export const WAD = 10n ** 18n;

/** subtensor's root stake weighted by TaoWeight, rounded down: ⌊rootStake × taoWeightWad / 1e18⌋. */
export function weightedRootStakeDown(rootStakeRao: bigint, taoWeightWad: bigint): bigint {
  return (rootStakeRao * taoWeightWad) / WAD;
}

/** A neuron's stake weight: alpha stake + ⌊root stake × TaoWeight⌋ (no child keys in the model). */
export function stakeWeightDown(neuron: SnapshotNeuron, taoWeightWad: bigint): bigint {
  return neuron.alphaStakeRao + weightedRootStakeDown(neuron.rootStakeRao, taoWeightWad);
}

/** The uid that holds the subnet owner's hotkey, or null. */
export function ownerUidOf(snapshot: Pick<Snapshot, "neurons" | "ownerHotkey">): number | null {
  const uid = snapshot.neurons.findIndex((n) => n.hotkey === snapshot.ownerHotkey);
  return uid < 0 ? null : uid;
}

/** The engine's parameters from the subnet's hyperparameters (stake threshold 0, as subtensor's default). */
export function engineParams(snapshot: Snapshot): EpochParams {
  const hp = snapshot.hyperparameters;
  return {
    kappa: hp.kappaOf65535,
    bondsMovingAverage: hp.bondsMovingAveragePpm,
    bondsPenalty: hp.bondsPenaltyOf65535,
    yuma3: hp.yuma3,
    liquidAlpha: hp.liquidAlpha,
    alphaLow: hp.alphaLowOf65535,
    alphaHigh: hp.alphaHighOf65535,
    alphaSigmoidSteepness: hp.alphaSigmoidSteepness,
    activityCutoff: hp.activityCutoff,
    maxAllowedValidators: hp.maxValidators,
    tempo: hp.tempo,
    stakeThreshold: 0n,
    ownerUid: ownerUidOf(snapshot),
  };
}

/** The stored (max-upscaled) rows the engine reads; a uid without weights has an empty row. */
export function engineWeights(snapshot: Snapshot): SparseRow[] {
  return snapshot.weights.map((row) =>
    row === null
      ? { cols: new Uint16Array(0), vals: new Uint16Array(0) }
      : { cols: Uint16Array.from(row.uids), vals: Uint16Array.from(maxUpscaleU16(row.values)) },
  );
}

/** The epoch's emission E = server + validator + root buckets (the owner cut is paid apart, as on the chain). */
export function epochEmissionAlphaRao(snapshot: Snapshot): bigint {
  return snapshot.pot.serverAlphaRao + snapshot.pot.validatorAlphaRao + snapshot.pot.rootAlphaRao;
}

/** Everything the engine runs on for this snapshot, from the state the epoch starts with. */
export function engineRun(snapshot: Snapshot, state: EpochState): EngineRun {
  if (state.validatorPermit.length !== snapshot.neurons.length) {
    throw new Error(
      `the starting state covers ${state.validatorPermit.length} uids, the snapshot ${snapshot.neurons.length}`,
    );
  }
  return {
    params: engineParams(snapshot),
    state,
    stake: snapshot.neurons.map((n) => stakeWeightDown(n, snapshot.taoWeightWad)),
    weights: engineWeights(snapshot),
    emissionAlphaRao: epochEmissionAlphaRao(snapshot),
  };
}

const HEADER = {
  type: "tuple",
  components: [
    { name: "chainId", type: "uint256" },
    { name: "settlement", type: "address" },
    { name: "netuid", type: "uint16" },
    { name: "generation", type: "uint32" },
    { name: "epoch", type: "uint32" },
    { name: "snapshotBlock", type: "uint32" },
    { name: "emissionAlphaRao", type: "uint256" },
    { name: "ownerCutAlphaRao", type: "uint256" },
    { name: "serverAlphaRao", type: "uint256" },
    { name: "validatorAlphaRao", type: "uint256" },
    { name: "rootAlphaRao", type: "uint256" },
    { name: "taoWeightWad", type: "uint256" },
    { name: "ownerHotkey", type: "bytes32" },
    { name: "ownerColdkey", type: "bytes32" },
  ],
} as const;

const PARAMS = {
  type: "tuple",
  components: [
    { name: "kappa", type: "uint16" },
    { name: "bondsMovingAverage", type: "uint32" },
    { name: "bondsPenalty", type: "uint16" },
    { name: "yuma3", type: "bool" },
    { name: "liquidAlpha", type: "bool" },
    { name: "alphaLow", type: "uint16" },
    { name: "alphaHigh", type: "uint16" },
    { name: "alphaSigmoidSteepness", type: "int16" },
    { name: "activityCutoff", type: "uint32" },
    { name: "maxAllowedValidators", type: "uint16" },
    { name: "tempo", type: "uint16" },
    { name: "stakeThreshold", type: "uint64" },
    { name: "hasOwnerUid", type: "bool" },
    { name: "ownerUid", type: "uint16" },
  ],
} as const;

const NEURONS = {
  type: "tuple",
  components: [
    { name: "hotkeys", type: "bytes32[]" },
    { name: "coldkeys", type: "bytes32[]" },
    { name: "alphaStakeRao", type: "uint256[]" },
    { name: "rootStakeRao", type: "uint256[]" },
    { name: "stake", type: "uint256[]" },
    { name: "registrationBlock", type: "uint32[]" },
    { name: "lastUpdate", type: "uint32[]" },
    { name: "weightsCommitments", type: "bytes32[]" },
  ],
} as const;

/**
 * keccak256(abi.encode(header, params, neurons, startStateHash)): the snapshot (pot, TAO weight, owner keys, every
 * uid's keys, stakes, registration and last-update blocks and weights commitment), the engine's parameters and the
 * hash of the state the epoch starts from. The commitments stand for the weight rows (the engine max-upscales them).
 */
export function inputsHash(snapshot: Snapshot, run: EngineRun): Hex {
  const p = run.params;
  const n = snapshot.neurons;
  return keccak256(
    encodeAbiParameters(
      [HEADER, PARAMS, NEURONS, { type: "bytes32" }],
      [
        {
          chainId: snapshot.chainId,
          settlement: snapshot.settlement,
          netuid: snapshot.netuid,
          generation: snapshot.generation,
          epoch: snapshot.epoch,
          snapshotBlock: snapshot.snapshotBlock,
          emissionAlphaRao: run.emissionAlphaRao,
          ownerCutAlphaRao: snapshot.pot.ownerCutAlphaRao,
          serverAlphaRao: snapshot.pot.serverAlphaRao,
          validatorAlphaRao: snapshot.pot.validatorAlphaRao,
          rootAlphaRao: snapshot.pot.rootAlphaRao,
          taoWeightWad: snapshot.taoWeightWad,
          ownerHotkey: snapshot.ownerHotkey,
          ownerColdkey: snapshot.ownerColdkey,
        },
        {
          kappa: p.kappa,
          bondsMovingAverage: p.bondsMovingAverage,
          bondsPenalty: p.bondsPenalty,
          yuma3: p.yuma3,
          liquidAlpha: p.liquidAlpha,
          alphaLow: p.alphaLow,
          alphaHigh: p.alphaHigh,
          alphaSigmoidSteepness: p.alphaSigmoidSteepness,
          activityCutoff: p.activityCutoff,
          maxAllowedValidators: p.maxAllowedValidators,
          tempo: p.tempo,
          stakeThreshold: p.stakeThreshold,
          hasOwnerUid: p.ownerUid !== null,
          ownerUid: p.ownerUid ?? 0,
        },
        {
          hotkeys: n.map((x) => x.hotkey),
          coldkeys: n.map((x) => x.coldkey),
          alphaStakeRao: n.map((x) => x.alphaStakeRao),
          rootStakeRao: n.map((x) => x.rootStakeRao),
          stake: run.stake.slice(),
          registrationBlock: n.map((x) => x.registeredAt),
          lastUpdate: n.map((x) => x.lastUpdate),
          weightsCommitments: snapshot.weightsCommitments.slice(),
        },
        stateHash(run.state),
      ],
    ),
  );
}
