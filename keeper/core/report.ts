/**
 * Snapshot + starting state → the signed report and everything finalisation and claims need. Pure.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, hashTypedData, keccak256, type Address, type Hex, type TypedDataDomain } from "viem";

import { runEpoch, type EpochState } from "../yuma/index.ts";
import { engineRun, inputsHash } from "./inputs.ts";
import { distribute, permitWords } from "./payout.ts";
import { stateHash } from "./state.ts";
import {
  LEAF_TYPES,
  type BuiltReport,
  type LeafTuple,
  type Report,
  type ResultLeaf,
  type Snapshot,
  type ValidatorPayout,
} from "./types.ts";

/* RESULTS TREE */

export function leafTuple(leaf: ResultLeaf): LeafTuple {
  return [leaf.uid, leaf.hotkey, leaf.incentiveAlphaRao, leaf.alphaDividendAlphaRao, leaf.rootDividendAlphaRao];
}

/** OpenZeppelin's standard tree over every uid's leaf (what `EpochSettlement.resultLeaf` and `MerkleProof` check). */
export function resultsTree(leaves: readonly ResultLeaf[]): StandardMerkleTree<LeafTuple> {
  if (leaves.length === 0) throw new Error("a results tree needs at least one leaf (every subnet has its owner's uid)");
  return StandardMerkleTree.of(leaves.map(leafTuple), [...LEAF_TYPES]);
}

/** The proof of one uid's leaf. */
export function leafProof(tree: StandardMerkleTree<LeafTuple>, uid: number): Hex[] {
  for (const [i, value] of tree.entries()) if (value[0] === uid) return tree.getProof(i) as Hex[];
  throw new Error(`uid ${uid} has no leaf in the results tree`);
}

/** `claimIncentives`' argument for `leaves`: each leaf with its proof in `tree`. */
export function claimsOf(tree: StandardMerkleTree<LeafTuple>, leaves: readonly ResultLeaf[]) {
  return leaves.map((leaf) => ({
    uid: leaf.uid,
    hotkey: leaf.hotkey,
    incentiveAlphaRao: leaf.incentiveAlphaRao,
    alphaDividendAlphaRao: leaf.alphaDividendAlphaRao,
    rootDividendAlphaRao: leaf.rootDividendAlphaRao,
    proof: leafProof(tree, leaf.uid),
  }));
}

/** `items` in consecutive batches of at most `size`. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`a batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/* HASHES */

const VALIDATORS = {
  type: "tuple[]",
  components: [
    { name: "hotkey", type: "bytes32" },
    { name: "uid", type: "uint16" },
    { name: "alphaDividendAlphaRao", type: "uint64" },
    { name: "rootDividendAlphaRao", type: "uint64" },
  ],
} as const;

/** keccak256(abi.encode(ValidatorPayout[])), as `finaliseEpoch` checks it. */
export function validatorsHash(validators: readonly ValidatorPayout[]): Hex {
  return keccak256(encodeAbiParameters([VALIDATORS], [validators.map((v) => ({ ...v }))]));
}

/** keccak256(abi.encode(uint256[])), as `finaliseEpoch` checks it. */
export function permitsHash(words: readonly bigint[]): Hex {
  return keccak256(encodeAbiParameters([{ type: "uint256[]" }], [words.slice()]));
}

/* EIP-712 */

export const DOMAIN_NAME = "Alpha Markets EpochSettlement";
export const DOMAIN_VERSION = "1";

/** Field for field the contract's REPORT_TYPEHASH string. */
export const REPORT_TYPES = {
  Report: [
    { name: "chainId", type: "uint256" },
    { name: "settlement", type: "address" },
    { name: "netuid", type: "uint16" },
    { name: "generation", type: "uint32" },
    { name: "epoch", type: "uint32" },
    { name: "snapshotBlock", type: "uint32" },
    { name: "inputsHash", type: "bytes32" },
    { name: "resultsRoot", type: "bytes32" },
    { name: "stateHash", type: "bytes32" },
    { name: "validatorsHash", type: "bytes32" },
    { name: "permitsHash", type: "bytes32" },
    { name: "incentiveAlphaRao", type: "uint64" },
    { name: "burnedIncentiveAlphaRao", type: "uint64" },
    { name: "alphaDividendsAlphaRao", type: "uint64" },
    { name: "rootDividendsAlphaRao", type: "uint64" },
    { name: "minerBurnOf65535", type: "uint16" },
  ],
} as const;

export function reportDomain(chainId: bigint, settlement: Address): TypedDataDomain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract: settlement };
}

/** What a keeper signs (viem `signTypedData` arguments). */
export function reportTypedData(report: Report) {
  return {
    domain: reportDomain(report.chainId, report.settlement),
    types: REPORT_TYPES,
    primaryType: "Report" as const,
    message: { ...report },
  };
}

/** The EIP-712 digest of a report (`EpochSettlement.reportDigest`). */
export function reportDigest(report: Report): Hex {
  return hashTypedData(reportTypedData(report));
}

/* BUILD */

/** Runs the epoch on the snapshot from `startState` and builds the report. */
export function buildReport(snapshot: Snapshot, startState: EpochState): BuiltReport {
  const run = engineRun(snapshot, startState);
  const { outputs, nextState } = runEpoch(
    run.state,
    {
      block: snapshot.snapshotBlock,
      emission: run.emissionAlphaRao,
      stake: run.stake,
      registrationBlock: snapshot.neurons.map((n) => n.registeredAt),
      lastUpdate: snapshot.neurons.map((n) => n.lastUpdate),
      weights: run.weights,
    },
    run.params,
  );
  const payout = distribute(snapshot, outputs);
  const words = permitWords(outputs.validatorPermit);
  const report: Report = {
    chainId: snapshot.chainId,
    settlement: snapshot.settlement,
    netuid: snapshot.netuid,
    generation: snapshot.generation,
    epoch: snapshot.epoch,
    snapshotBlock: snapshot.snapshotBlock,
    inputsHash: inputsHash(snapshot, run),
    resultsRoot: resultsTree(payout.leaves).root as Hex,
    stateHash: stateHash(nextState),
    validatorsHash: validatorsHash(payout.validators),
    permitsHash: permitsHash(words),
    incentiveAlphaRao: payout.incentiveAlphaRao,
    burnedIncentiveAlphaRao: payout.burnedIncentiveAlphaRao,
    alphaDividendsAlphaRao: payout.alphaDividendsAlphaRao,
    rootDividendsAlphaRao: payout.rootDividendsAlphaRao,
    minerBurnOf65535: payout.minerBurnOf65535,
  };
  return { report, leaves: payout.leaves, validators: payout.validators, permitWords: words, nextState, outputs, run };
}

/** The fields in which two reports differ (empty when they are the same, bit for bit). */
export function reportDifferences(a: Report, b: Report): string[] {
  const keys = REPORT_TYPES.Report.map((f) => f.name);
  return keys.filter((k) => String(a[k]).toLowerCase() !== String(b[k]).toLowerCase());
}
