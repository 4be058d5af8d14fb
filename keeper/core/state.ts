/**
 * The engine state between epochs (validator permits in force and stored bonds), how it carries over from one
 * snapshot to the next, and its canonical hash.
 *
 * Epoch 1 starts from the metagraph's permits (only the owner's uid holds one when a subnet opens) and no bonds.
 * Every later epoch starts from the previous epoch's `nextState`, with each uid that got a new neuron since the
 * previous snapshot (an append, or the replacement of a neuron) reset as the scenario format's `replace_neuron`
 * does: no permit, an empty bond row. A uid was (re)registered after the previous snapshot exactly when its
 * `registeredAt` is after that snapshot block (the snapshot is the state at the end of its block).
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";

import type { EpochState, SparseRow } from "../yuma/index.ts";
import type { SnapshotNeuron } from "./types.ts";

const EMPTY_ROW: SparseRow = { cols: new Uint16Array(0), vals: new Uint16Array(0) };

/** The state of a subnet's first epoch: the metagraph's permits, no bonds. */
export function firstEpochState(neurons: readonly SnapshotNeuron[]): EpochState {
  return { validatorPermit: neurons.map((n) => n.validatorPermit), bonds: neurons.map(() => EMPTY_ROW) };
}

/**
 * The state an epoch starts from: `previous` (the last epoch's `nextState`, over its snapshot's uids) with the
 * uids registered after `previousSnapshotBlock` reset, extended to the current neurons.
 */
export function carryState(
  previous: EpochState,
  previousSnapshotBlock: number,
  neurons: readonly SnapshotNeuron[],
): EpochState {
  const previousN = previous.validatorPermit.length;
  if (neurons.length < previousN) {
    throw new Error(`the subnet has ${neurons.length} uids, fewer than the ${previousN} of the previous epoch`);
  }
  const fresh = (uid: number) => uid >= previousN || neurons[uid]!.registeredAt > previousSnapshotBlock;
  return {
    validatorPermit: neurons.map((_, uid) => (fresh(uid) ? false : previous.validatorPermit[uid] === true)),
    bonds: neurons.map((_, uid) => (fresh(uid) ? EMPTY_ROW : (previous.bonds[uid] ?? EMPTY_ROW))),
  };
}

/** Bond rows as two parallel uint16[][] (columns, values), in stored order. */
function rowsAbi(rows: readonly SparseRow[]): [number[][], number[][]] {
  return [rows.map((r) => Array.from(r.cols)), rows.map((r) => Array.from(r.vals))];
}

/**
 * keccak256(abi.encode(bool[] permits, uint16[][] bondColumns, uint16[][] bondValues)): the state exactly as the
 * engine reads it (rows in stored order, explicit zeros kept), so equal hashes mean equal next epochs.
 */
export function stateHash(state: EpochState): Hex {
  const [cols, vals] = rowsAbi(state.bonds);
  return keccak256(
    encodeAbiParameters(
      [{ type: "bool[]" }, { type: "uint16[][]" }, { type: "uint16[][]" }],
      [state.validatorPermit.slice(), cols, vals],
    ),
  );
}

/** A state as plain JSON (for a cache file), and back. */
export interface StateJson {
  validatorPermit: boolean[];
  bonds: [number[], number[]][];
}

export function stateToJson(state: EpochState): StateJson {
  return {
    validatorPermit: state.validatorPermit.slice(),
    bonds: state.bonds.map((r) => [Array.from(r.cols), Array.from(r.vals)]),
  };
}

export function stateFromJson(json: StateJson): EpochState {
  return {
    validatorPermit: json.validatorPermit.slice(),
    bonds: json.bonds.map(([c, v]) => ({ cols: Uint16Array.from(c), vals: Uint16Array.from(v) })),
  };
}
