/**
 * An epoch's report from public chain data alone: its snapshot, and the engine state it starts from, replayed from
 * the subnet's finalised epochs (each one's snapshot is reconstructible at its snapshot block). A cache of states
 * only saves the replay: a cached state is used only when its hash equals the `stateHash` the chain recorded for
 * that epoch's accepted report, and every replayed state is checked the same way.
 */
import type { Hex } from "viem";

import {
  buildReport,
  carryState,
  firstEpochState,
  stateFromJson,
  stateHash,
  stateToJson,
  type BuiltReport,
  type Snapshot,
  type StateJson,
} from "../core/index.ts";
import type { EpochState } from "../yuma/index.ts";
import type { ChainReader, EpochRecord } from "./reads.ts";

/** Engine states after finalised epochs, keyed by subnet instance and epoch. Only an optimisation. */
export interface StateCache {
  get(key: string): EpochState | undefined;
  set(key: string, state: EpochState): void;
}

export class MemoryStateCache implements StateCache {
  private readonly states = new Map<string, StateJson>();
  get(key: string): EpochState | undefined {
    const json = this.states.get(key);
    return json === undefined ? undefined : stateFromJson(json);
  }
  set(key: string, state: EpochState): void {
    this.states.set(key, stateToJson(state));
  }
  get size(): number {
    return this.states.size;
  }
}

/** The replay reached a state the chain's accepted report does not commit to. */
export class ReplayDivergedError extends Error {
  override name = "ReplayDivergedError";
}

/** An epoch is not in the state the operation needs. */
export class EpochStateError extends Error {
  override name = "EpochStateError";
}

export interface EpochContext {
  readonly reader: ChainReader;
  readonly cache: StateCache;
}

function cacheKey(ctx: EpochContext, netuid: number, generation: number, epoch: number): string {
  return `${ctx.reader.chainId}:${ctx.reader.addresses.settlement.toLowerCase()}:${netuid}:${generation}:${epoch}`;
}

/** The snapshot of a closed epoch, read at its snapshot block. */
export async function readEpochSnapshot(
  ctx: EpochContext,
  netuid: number,
  generation: number,
  epoch: number,
  record?: EpochRecord,
): Promise<{ snapshot: Snapshot; record: EpochRecord }> {
  const rec = record ?? (await ctx.reader.epochRecord(netuid, generation, epoch));
  if (rec.status === "None") throw new EpochStateError(`epoch ${epoch} of netuid ${netuid} is not closed`);
  const snapshot = await ctx.reader.snapshot({
    netuid,
    generation,
    epoch,
    snapshotBlock: rec.snapshotBlock,
    pot: rec.pot,
    maxValidatorsAtClose: rec.maxValidators,
  });
  return { snapshot, record: rec };
}

/** The state hash the chain accepted for a finalised epoch (its `SubmitReport` with the record's digest). */
async function acceptedStateHash(ctx: EpochContext, netuid: number, epoch: number, rec: EpochRecord): Promise<Hex> {
  if (rec.status !== "Finalised") {
    throw new EpochStateError(`epoch ${epoch} of netuid ${netuid} is ${rec.status}, not finalised`);
  }
  const submitted = await ctx.reader.submittedReport(netuid, epoch, rec.reportDigest, rec.snapshotBlock, {
    calldata: false,
  });
  if (submitted === undefined) {
    throw new EpochStateError(`no SubmitReport with digest ${rec.reportDigest} for epoch ${epoch} of netuid ${netuid}`);
  }
  return submitted.stateHash;
}

/**
 * The engine state after the finalised `epoch` (its report's `nextState`), checked against the chain. Iterative: it
 * starts from the latest epoch whose cached state the chain confirms (or from epoch 1) and replays forward, checking
 * every replayed state against its accepted report, so a keeper with an empty disk reaches the same state.
 */
export async function stateAfter(
  ctx: EpochContext,
  netuid: number,
  generation: number,
  epoch: number,
): Promise<EpochState> {
  let from = epoch;
  let state: EpochState | undefined;
  for (; from >= 1; from--) {
    const cached = ctx.cache.get(cacheKey(ctx, netuid, generation, from));
    if (cached === undefined) continue;
    const rec = await ctx.reader.epochRecord(netuid, generation, from);
    if (stateHash(cached) === (await acceptedStateHash(ctx, netuid, from, rec))) {
      state = cached;
      break;
    }
  }
  let previousSnapshotBlock =
    state === undefined ? 0 : (await ctx.reader.epochRecord(netuid, generation, from)).snapshotBlock;
  for (let e = Math.max(from, 0) + 1; e <= epoch; e++) {
    const rec = await ctx.reader.epochRecord(netuid, generation, e);
    const expected = await acceptedStateHash(ctx, netuid, e, rec);
    const { snapshot } = await readEpochSnapshot(ctx, netuid, generation, e, rec);
    const start =
      e === 1 || state === undefined
        ? firstEpochState(snapshot.neurons)
        : carryState(state, previousSnapshotBlock, snapshot.neurons);
    const built = buildReport(snapshot, start);
    const replayed = stateHash(built.nextState);
    if (replayed !== expected) {
      throw new ReplayDivergedError(
        `replaying epoch ${e} of netuid ${netuid} gives state ${replayed}, but its accepted report commits to ${expected}`,
      );
    }
    ctx.cache.set(cacheKey(ctx, netuid, generation, e), built.nextState);
    state = built.nextState;
    previousSnapshotBlock = rec.snapshotBlock;
  }
  if (state === undefined) throw new EpochStateError(`no epoch ${epoch} of netuid ${netuid} to replay`);
  return state;
}

/** The state `snapshot`'s epoch starts from. */
export async function startState(ctx: EpochContext, snapshot: Snapshot): Promise<EpochState> {
  const { netuid, generation, epoch } = snapshot;
  if (epoch <= 1) return firstEpochState(snapshot.neurons);
  const previous = await ctx.reader.epochRecord(netuid, generation, epoch - 1);
  const state = await stateAfter(ctx, netuid, generation, epoch - 1);
  return carryState(state, previous.snapshotBlock, snapshot.neurons);
}

/** Builds a closed epoch's report from chain data. */
export async function buildEpochReport(
  ctx: EpochContext,
  netuid: number,
  generation: number,
  epoch: number,
  record?: EpochRecord,
): Promise<BuiltReport & { snapshot: Snapshot }> {
  const { snapshot } = await readEpochSnapshot(ctx, netuid, generation, epoch, record);
  const start = await startState(ctx, snapshot);
  return { ...buildReport(snapshot, start), snapshot };
}
