/**
 * The weight matrix at a snapshot block, rebuilt from the metagraph's logs.
 *
 * Weights are not stored on chain: `Metagraph.setWeights` (and `revealWeights`) keep a commitment
 * keccak256(abi.encode(uids, values)) per uid and emit the whole row in `WeightsSet`. Replaying one subnet instance's
 * logs in order (from its `SubnetReset`) gives each uid's latest row; a registration on a uid (a new neuron, or the
 * replacement of the weakest) empties its row, as the metagraph deletes its commitment. The result must match every
 * commitment read at the snapshot block, or the snapshot is refused: keepers never build on weights they cannot prove.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";

import type { SnapshotNeuron, WeightRow } from "./types.ts";

export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

/** A metagraph log of one subnet, in chain order. */
export type MetagraphEvent =
  | { readonly kind: "reset"; readonly generation: number }
  | { readonly kind: "registered"; readonly uid: number; readonly hotkey: Hex }
  | {
      readonly kind: "weights";
      readonly uid: number;
      readonly hotkey: Hex;
      readonly uids: readonly number[];
      readonly values: readonly number[];
    };

/** Each uid's latest row with the hotkey that set it. */
export type WeightRows = Map<number, WeightRow & { readonly hotkey: Hex }>;

/** The logs' rows do not give the commitment the metagraph holds for a uid. */
export class WeightsMismatchError extends Error {
  override name = "WeightsMismatchError";
  readonly uid: number;
  readonly expected: Hex;
  readonly rebuilt: Hex;
  constructor(uid: number, expected: Hex, rebuilt: Hex) {
    super(`weights of uid ${uid} rebuilt from logs hash to ${rebuilt}, but the metagraph commits to ${expected}`);
    this.uid = uid;
    this.expected = expected;
    this.rebuilt = rebuilt;
  }
}

/** `Metagraph`'s commitment of a row: keccak256(abi.encode(uint16[] uids, uint16[] values)). */
export function weightsCommitment(row: WeightRow): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint16[]" }, { type: "uint16[]" }], [row.uids as number[], row.values as number[]]),
  );
}

/** Applies logs (in chain order) to the rows, in place: a reset empties all, a registration empties its uid. */
export function applyMetagraphEvents(rows: WeightRows, events: Iterable<MetagraphEvent>): WeightRows {
  for (const e of events) {
    if (e.kind === "reset") rows.clear();
    else if (e.kind === "registered") rows.delete(e.uid);
    else rows.set(e.uid, { uids: e.uids.slice(), values: e.values.slice(), hotkey: e.hotkey });
  }
  return rows;
}

/**
 * The rows of the snapshot's neurons: rows set by a hotkey that no longer holds the uid are dropped, and every
 * uid's row must hash to its commitment (a zero commitment: no row).
 */
export function snapshotWeights(
  rows: WeightRows,
  neurons: readonly SnapshotNeuron[],
  commitments: readonly Hex[],
): (WeightRow | null)[] {
  return neurons.map((neuron, uid) => {
    const found = rows.get(uid);
    const row = found !== undefined && found.hotkey === neuron.hotkey ? found : null;
    const rebuilt = row === null ? ZERO_HASH : weightsCommitment(row);
    const expected = commitments[uid] ?? ZERO_HASH;
    if (rebuilt !== expected) throw new WeightsMismatchError(uid, expected, rebuilt);
    return row === null ? null : { uids: row.uids.slice(), values: row.values.slice() };
  });
}
