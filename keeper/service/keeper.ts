/**
 * One keeper: follows the chain and drives every due subnet's epoch through close → report → signatures → submit →
 * finalise → claims. Each action starts by re-reading the epoch's progress from the chain, so a crash or a restart at
 * any point repeats nothing that happened and skips nothing that did not: the chain is the only state that matters
 * (signatures and built reports in memory, and cached states, are only saved work). The chain keeps only the digest
 * of an accepted report; finalisation presents the report again, which the keeper rebuilds from chain data (the build
 * is deterministic) or, failing that, reads from the submission's calldata.
 *
 * Several keepers share the work: each action of an epoch has a leader (rotating with the netuid and epoch); the
 * others wait `graceMs` before doing it themselves, in case the leader is down. A race is harmless (the contract
 * accepts one report, one finalisation, one claim per uid), and simulation keeps the loser from sending.
 */
import type { Logger } from "pino";
import { decodeError, type AbiError } from "../../client/errors.ts";
import { recoverTypedDataAddress, type Address, type Hex, type LocalAccount } from "viem";

import {
  CLAIMS_PER_BATCH,
  claimsOf,
  dividendsOf,
  inBatches,
  permitsHash,
  reportDifferences,
  reportDigest,
  reportTypedData,
  resultsTree,
  validatorsHash,
  type BuiltReport,
  type Report,
  type ResultLeaf,
  type Snapshot,
  type ValidatorPayout,
} from "../core/index.ts";
import { buildEpochReport, type StateCache } from "../chain/epochs.ts";
import type { ChainReader, EpochRecord, Progress } from "../chain/reads.ts";
import type { TxSender } from "../chain/tx.ts";
import type { EpochKey, SignatureBoard } from "./board.ts";
import type { KeeperMetrics } from "./metrics.ts";

export type ClaimPolicy = "all" | "none";

/** Points where tests inject a crash (the hook throws) to check that a restart repairs everything. */
export type StepPoint =
  | "beforeClose"
  | "beforeSign"
  | "afterSign"
  | "beforeSubmit"
  | "afterSubmitSent"
  | "beforeFinalise"
  | "afterFinaliseSent"
  | "beforeClaim"
  | "afterClaimSent";

export interface KeeperHooks {
  /** Called at each step point; throwing there simulates a crash. */
  at?(point: StepPoint, where: { netuid: number; epoch: number }): Promise<void> | void;
  /** Changes the report before signing (a faulty or malicious keeper, in tests). */
  tamper?(built: BuiltReport): BuiltReport;
}

export interface KeeperOptions {
  readonly reader: ChainReader;
  readonly sender: TxSender;
  readonly signer: LocalAccount;
  readonly board: SignatureBoard;
  readonly cache: StateCache;
  readonly log: Logger;
  readonly metrics?: KeeperMetrics;
  readonly claimPolicy?: ClaimPolicy;
  /** This keeper's place among `peers` keepers (leader rotation); 0 of 1 makes it lead everything. */
  readonly index?: number;
  readonly peers?: number;
  /** How long a keeper that does not lead an action waits before doing it (ms). */
  readonly graceMs?: number;
  readonly hooks?: KeeperHooks;
  /** Only these netuids (default: every active one). */
  readonly netuids?: readonly number[];
  /** The project's errors, to log a revert by name (`client/node.ts` `loadProjectErrorAbi`). */
  readonly errorAbi?: readonly AbiError[];
}

/** At most this many chain actions per subnet in one step (close, submit, finalise; then the claims). */
const MAX_ACTIONS_PER_STEP = 3;

/** How many of a subnet's last finalised epochs the keeper claims for (older ones: `keeper claim`). */
export const CLAIM_LOOKBACK_EPOCHS = 3;

/** Reverts that only mean another keeper was first: logged quietly. */
const LOST_RACE = new Set([
  "DuplicateReport",
  "EpochNotDue",
  "PreviousEpochOpen",
  "NotSubmitted",
  "AlreadyClaimed",
  "StaleEpoch",
  "EpochNotClosed",
]);

interface BuiltEntry {
  readonly built: BuiltReport & { snapshot: Snapshot };
  readonly snapshotHash: Hex;
  readonly digest: Hex;
}

export class Keeper {
  readonly options: KeeperOptions;
  readonly log: Logger;
  private readonly built = new Map<string, BuiltEntry>();
  private readonly firstSeen = new Map<string, number>();
  private readonly keepers = new Map<Address, boolean>();
  private readonly claimsDone = new Set<string>();
  private quorumValue: number | undefined;

  constructor(options: KeeperOptions) {
    this.options = options;
    this.log = options.log;
  }

  get address(): Address {
    return this.options.signer.address;
  }

  private get reader(): ChainReader {
    return this.options.reader;
  }

  /** One pass over every subnet. Errors of one subnet are logged and counted; the others go on. */
  async tick(): Promise<void> {
    const block = await this.reader.blockNumber();
    const netuids = this.options.netuids ?? (await this.reader.activeNetuids());
    for (const netuid of netuids) {
      try {
        await this.step(netuid, block);
      } catch (error) {
        if (isCrash(error)) throw error;
        const decoded = this.options.errorAbi ? decodeError(error, this.options.errorAbi) : undefined;
        if (decoded?.name !== undefined && LOST_RACE.has(decoded.name)) {
          this.log.debug({ netuid, revert: decoded.line }, "another keeper was first");
          continue;
        }
        this.options.metrics?.errors.inc({ netuid: String(netuid) });
        this.log.warn(
          { netuid, err: decoded?.name !== undefined ? decoded.line : describe(error) },
          "step failed; retried on the next tick",
        );
      }
    }
    if (this.options.metrics) {
      this.options.metrics.lastTickAt = Date.now();
      this.options.metrics.lastBlock = block;
      this.options.metrics.block.set(block);
      const balance = await this.reader.call("balance", () =>
        this.reader.client.getBalance({ address: this.options.sender.address }),
      );
      this.options.metrics.balanceWei.set({ keeper: this.options.sender.address }, Number(balance));
    }
  }

  /**
   * Advances one subnet's open epoch as far as it goes now (close, report, finalise: each action re-reads the chain
   * first), then claims what is left of its last finalised epochs. A failing claim does not hold the epochs back, nor
   * a failing epoch action the claims.
   */
  async step(netuid: number, block: number): Promise<void> {
    let p = await this.reader.progress(netuid);
    this.observe(netuid, p, block);
    if (p.nextDueBlock === 0) return; // not emitting
    let failure: unknown;
    try {
      for (let actions = 0; actions < MAX_ACTIONS_PER_STEP && (await this.advance(netuid, p, block)); actions++) {
        [p, block] = await Promise.all([this.reader.progress(netuid), this.reader.blockNumber()]);
      }
    } catch (error) {
      if (isCrash(error)) throw error;
      failure = error;
    }
    try {
      await this.recentClaims(netuid, p.generation, p.finalisedEpoch);
    } catch (error) {
      if (isCrash(error)) throw error;
      failure ??= error;
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(describe(failure));
  }

  /**
   * The subnet's next epoch action: close a due epoch, or report or finalise the open one. Returns whether it changed
   * the chain (a close, a submission, a finalisation); signing alone does not, the other keepers' signatures come later.
   */
  private async advance(netuid: number, p: Progress, block: number): Promise<boolean> {
    if (p.closedEpoch === p.finalisedEpoch) {
      if (block < p.nextDueBlock || !this.mayAct("close", netuid, p.closedEpoch + 1)) return false;
      await this.at("beforeClose", netuid, p.closedEpoch + 1);
      await this.transact("close", { netuid, epoch: p.closedEpoch + 1 }, () =>
        this.options.sender.send({
          label: `closeEpoch(${netuid})`,
          address: this.reader.addresses.settlement,
          abi: this.reader.abis.settlement,
          functionName: "closeEpoch",
          args: [netuid],
        }),
      );
      return true;
    }
    const epoch = p.closedEpoch;
    const record = await this.reader.epochRecord(netuid, p.generation, epoch);
    // An open epoch is late by the blocks since its snapshot.
    this.options.metrics?.lagBlocks.set({ netuid: String(netuid) }, Math.max(0, block - record.snapshotBlock));
    if (record.status === "Closed") return this.report(netuid, p.generation, epoch, record);
    if (record.status === "Submitted" && block >= record.challengeDeadline) {
      return this.finalise(netuid, p.generation, epoch, record);
    }
    return false;
  }

  /**
   * Claims of the last `CLAIM_LOOKBACK_EPOCHS` finalised epochs, whether or not the next epoch is open: claiming only
   * between a finalisation and the next close missed every epoch whose next one another keeper closed first.
   */
  private async recentClaims(netuid: number, generation: number, finalisedEpoch: number): Promise<void> {
    for (let epoch = Math.max(1, finalisedEpoch - CLAIM_LOOKBACK_EPOCHS + 1); epoch <= finalisedEpoch; epoch++) {
      await this.claims(netuid, generation, epoch);
    }
  }

  private observe(netuid: number, p: Progress, block: number): void {
    const m = this.options.metrics;
    if (!m) return;
    const labels = { netuid: String(netuid) };
    m.lastSettledEpoch.set(labels, p.finalisedEpoch);
    // Up to date: late by the blocks since the next epoch became due (0 before); an open epoch: see `step`.
    if (p.closedEpoch === p.finalisedEpoch) {
      m.lagBlocks.set(labels, p.nextDueBlock === 0 ? 0 : Math.max(0, block - p.nextDueBlock));
    }
  }

  /** Whether this keeper acts now: it leads, or the action has waited for its leader longer than the grace. */
  private mayAct(action: string, netuid: number, epoch: number): boolean {
    const peers = this.options.peers ?? 1;
    const index = this.options.index ?? 0;
    if (peers <= 1 || (netuid + epoch) % peers === index) return true;
    const key = `${action}:${netuid}:${epoch}`;
    const now = Date.now();
    const first = this.firstSeen.get(key) ?? now;
    this.firstSeen.set(key, first);
    return now - first >= (this.options.graceMs ?? 10_000);
  }

  private async at(point: StepPoint, netuid: number, epoch: number): Promise<void> {
    await this.options.hooks?.at?.(point, { netuid, epoch });
  }

  private async transact<T>(
    action: string,
    where: { netuid: number; epoch: number },
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await send();
      this.options.metrics?.transactions.inc({ action, result: "success" });
      this.log.info(where, `${action} done`);
      return result;
    } catch (error) {
      this.options.metrics?.transactions.inc({ action, result: "failed" });
      throw error;
    }
  }

  /** The epoch's report, built from chain data (kept while the snapshot block keeps its hash). */
  async buildReport(netuid: number, generation: number, epoch: number, record?: EpochRecord): Promise<BuiltEntry> {
    const key = `${netuid}:${generation}:${epoch}`;
    const cached = this.built.get(key);
    if (cached !== undefined) {
      const hash = await this.reader.blockHash(cached.built.report.snapshotBlock);
      if (
        hash === cached.snapshotHash &&
        (record === undefined || record.snapshotBlock === cached.built.report.snapshotBlock)
      ) {
        return cached;
      }
      this.log.warn({ netuid, epoch }, "the snapshot block changed (reorg): rebuilding the report");
      this.built.delete(key);
    }
    const snapshotBlock =
      record?.snapshotBlock ?? (await this.reader.epochRecord(netuid, generation, epoch)).snapshotBlock;
    const snapshotHash = await this.reader.blockHash(snapshotBlock);
    let built = await buildEpochReport(
      { reader: this.reader, cache: this.options.cache },
      netuid,
      generation,
      epoch,
      record,
    );
    if (this.options.hooks?.tamper) built = { ...this.options.hooks.tamper(built), snapshot: built.snapshot };
    // The hash again: a reorg during the reads would mix two chains.
    if ((await this.reader.blockHash(snapshotBlock)) !== snapshotHash) {
      throw new Error(`block ${snapshotBlock} changed while the snapshot was read (reorg); rebuilding next tick`);
    }
    const entry = { built, snapshotHash, digest: reportDigest(built.report) };
    this.built.set(key, entry);
    this.forgetBefore(netuid, generation, epoch - CLAIM_LOOKBACK_EPOCHS);
    return entry;
  }

  /**
   * Drops what this keeper remembers of a subnet instance's epochs before `epoch` (built reports, finished claims,
   * leader waits): a keeper that runs for days keeps only the epochs it may still act on.
   */
  private forgetBefore(netuid: number, generation: number, epoch: number): void {
    for (const known of [this.built, this.claimsDone]) {
      for (const key of known.keys()) {
        const [n, g, e] = key.split(":").map(Number);
        if (n === netuid && g === generation && e! < epoch) known.delete(key);
      }
    }
    for (const key of this.firstSeen.keys()) {
      const [, n, e] = key.split(":");
      if (Number(n) === netuid && Number(e) < epoch) this.firstSeen.delete(key);
    }
  }

  private epochKey(netuid: number, generation: number, epoch: number): EpochKey {
    return { chainId: this.reader.chainId, settlement: this.reader.addresses.settlement, netuid, generation, epoch };
  }

  private async isKeeper(address: Address): Promise<boolean> {
    let known = this.keepers.get(address);
    if (known === undefined) {
      known = await this.reader.isKeeper(address);
      this.keepers.set(address, known);
    }
    return known;
  }

  /**
   * Builds, signs and publishes the report; submits it once a quorum signed the same digest. Returns whether it
   * submitted.
   */
  private async report(netuid: number, generation: number, epoch: number, record: EpochRecord): Promise<boolean> {
    const entry = await this.buildReport(netuid, generation, epoch, record);
    const { report } = entry.built;
    const key = this.epochKey(netuid, generation, epoch);
    const mine = await this.options.board.collect(key, entry.digest);
    if (!mine.has(this.address)) {
      await this.at("beforeSign", netuid, epoch);
      const signature = await this.options.signer.signTypedData(reportTypedData(report));
      await this.options.board.publish(key, entry.digest, this.address, signature);
      this.log.info({ netuid, epoch, digest: entry.digest }, "report signed");
      await this.at("afterSign", netuid, epoch);
    }

    const quorum = (this.quorumValue ??= await this.reader.quorum());
    const valid: [Address, Hex][] = [];
    for (const [signer, signature] of await this.options.board.collect(key, entry.digest)) {
      const recovered = await recoverTypedDataAddress({ ...reportTypedData(report), signature }).catch(() => undefined);
      if (recovered?.toLowerCase() !== signer.toLowerCase() || !(await this.isKeeper(recovered))) continue;
      valid.push([recovered, signature]);
    }
    if (valid.length < quorum) {
      this.log.debug({ netuid, epoch, signatures: valid.length, quorum }, "waiting for signatures");
      return false;
    }
    if (!this.mayAct("submit", netuid, epoch)) return false;
    // Re-read: another keeper may have submitted meanwhile, or a reorg may have moved the snapshot.
    const now = await this.reader.epochRecord(netuid, generation, epoch);
    if (now.status !== "Closed" || now.snapshotBlock !== report.snapshotBlock) return false;
    if ((await this.reader.blockHash(report.snapshotBlock)) !== entry.snapshotHash) {
      this.built.delete(`${netuid}:${generation}:${epoch}`);
      return false;
    }
    valid.sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const signatures = valid.slice(0, quorum).map(([, s]) => s);
    await this.at("beforeSubmit", netuid, epoch);
    await this.transact("submit", { netuid, epoch }, () =>
      this.options.sender.send(
        {
          label: `submitReport(${netuid}, ${epoch})`,
          address: this.reader.addresses.settlement,
          abi: this.reader.abis.settlement,
          functionName: "submitReport",
          args: [report, signatures],
        },
        { afterSend: () => this.at("afterSubmitSent", netuid, epoch) },
      ),
    );
    return true;
  }

  /**
   * The accepted report of a submitted or finalised epoch, and its payload (validator list and permit words). The
   * chain keeps only the report's digest, so the report is the one this keeper computes from chain data when it has
   * that digest (after a restart too: the build is deterministic), else the one in the submission's calldata; the
   * payload is always recomputed and must hash to what the accepted report commits to.
   */
  async acceptedReport(
    netuid: number,
    generation: number,
    epoch: number,
    record: EpochRecord,
  ): Promise<{ entry: BuiltEntry; report: Report; computed: boolean }> {
    const entry = await this.buildReport(netuid, generation, epoch, record);
    const { built } = entry;
    const computed = entry.digest === record.reportDigest;
    let report = built.report;
    if (!computed) {
      const submitted = await this.reader.submittedReport(netuid, epoch, record.reportDigest, record.snapshotBlock);
      if (submitted?.report === undefined) {
        throw new Error(
          `the accepted report of epoch ${epoch} of netuid ${netuid} (digest ${record.reportDigest}) is not the one ` +
            `this keeper computes (${entry.digest}), and its submission's calldata is not readable`,
        );
      }
      report = submitted.report;
    }
    if (
      validatorsHash(built.validators) !== report.validatorsHash ||
      permitsHash(built.permitWords) !== report.permitsHash
    ) {
      throw new Error(
        `the accepted report of epoch ${epoch} of netuid ${netuid} (digest ${record.reportDigest}) commits to ` +
          `another validator list or other permits than this keeper computes (${entry.digest}): it cannot supply ` +
          `the payload` +
          (computed ? "" : `; the reports differ in ${reportDifferences(built.report, report).join(", ")}`),
      );
    }
    if (!computed) {
      this.log.warn(
        { netuid, epoch, accepted: record.reportDigest, computed: entry.digest },
        "the accepted report differs from the one this keeper computes; finalising it from its calldata",
      );
    }
    return { entry, report, computed };
  }

  /**
   * Finalises the accepted report, presented again with its payload (validators' dividends and permit words). Returns
   * whether it finalised.
   */
  private async finalise(netuid: number, generation: number, epoch: number, record: EpochRecord): Promise<boolean> {
    if (!this.mayAct("finalise", netuid, epoch)) return false;
    const { entry, report } = await this.acceptedReport(netuid, generation, epoch, record);
    const { built } = entry;
    await this.at("beforeFinalise", netuid, epoch);
    await this.transact("finalise", { netuid, epoch }, () =>
      this.options.sender.send(
        {
          label: `finaliseEpoch(${netuid}, ${epoch})`,
          address: this.reader.addresses.settlement,
          abi: this.reader.abis.settlement,
          functionName: "finaliseEpoch",
          args: [{ ...report }, built.validators.map((v) => ({ ...v })), built.permitWords.slice()],
        },
        { afterSend: () => this.at("afterFinaliseSent", netuid, epoch) },
      ),
    );
    const unpaid = claimsOutsideList(built.leaves, built.validators);
    this.log.info(
      {
        netuid,
        epoch,
        paid: built.validators.length,
        ...(unpaid > 0 ? { dividendsToClaim: unpaid } : {}),
        incentiveAlphaRao: String(report.incentiveAlphaRao),
      },
      "epoch settled",
    );
    return true;
  }

  /**
   * Claims every uid's unclaimed results of a finalised epoch (policy `all`): miners' incentive, and the dividends of
   * uids finalisation did not pay (beyond the validator bound).
   */
  private async claims(netuid: number, generation: number, epoch: number): Promise<void> {
    if (this.options.claimPolicy !== "all") return;
    const done = `${netuid}:${generation}:${epoch}`;
    if (this.claimsDone.has(done) || !this.mayAct("claim", netuid, epoch)) return;
    const record = await this.reader.epochRecord(netuid, generation, epoch);
    if (record.status !== "Finalised") return;
    if (record.claimableAlphaRao === 0n) {
      this.claimsDone.add(done);
      return;
    }
    const { entry, computed } = await this.acceptedReport(netuid, generation, epoch, record);
    const { built } = entry;
    const tree = resultsTree(built.leaves);
    if (tree.root !== record.resultsRoot) {
      throw new Error(`epoch ${epoch}'s results root on chain is not the one this keeper computes; no claims`);
    }
    // The list finalisation paid: this keeper's own when it computed the accepted report, else the chain's bitmap.
    const listed = new Set(built.validators.map((v) => v.uid));
    const paid = async (uid: number) =>
      computed ? listed.has(uid) : this.reader.isPaidAtFinalisation(netuid, generation, epoch, uid);
    const due: ResultLeaf[] = [];
    for (const leaf of built.leaves) {
      if (leaf.incentiveAlphaRao === 0n && (dividendsOf(leaf) === 0n || (await paid(leaf.uid)))) continue;
      if (await this.reader.isClaimed(netuid, generation, epoch, leaf.uid)) continue;
      due.push(leaf);
    }
    // In batches: one call pays its fixed costs once for many uids. A uid another keeper claimed in the meantime is
    // skipped by the contract, not refused.
    for (const batch of inBatches(due, CLAIMS_PER_BATCH)) {
      await this.at("beforeClaim", netuid, epoch);
      const uids = batch.length === 1 ? `uid ${batch[0]!.uid}` : `uids ${batch[0]!.uid}–${batch.at(-1)!.uid}`;
      await this.transact("claim", { netuid, epoch }, () =>
        this.options.sender.send(
          {
            label: `claimIncentives(${netuid}, ${epoch}, ${uids})`,
            address: this.reader.addresses.settlement,
            abi: this.reader.abis.settlement,
            functionName: "claimIncentives",
            args: [netuid, epoch, claimsOf(tree, batch)],
          },
          { afterSend: () => this.at("afterClaimSent", netuid, epoch) },
        ),
      );
    }
    this.claimsDone.add(done);
  }
}

/** How many uids with a dividend are not in the validator list (they claim it with their leaf). */
function claimsOutsideList(leaves: readonly ResultLeaf[], validators: readonly ValidatorPayout[]): number {
  const listed = new Set(validators.map((v) => v.uid));
  return leaves.filter((l) => dividendsOf(l) !== 0n && !listed.has(l.uid)).length;
}

/** An injected crash: it propagates out of `tick` (a real crash would end the process). */
export class KeeperCrash extends Error {
  override name = "KeeperCrash";
}

function isCrash(error: unknown): boolean {
  return error instanceof KeeperCrash;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const short = (error as { shortMessage?: string }).shortMessage;
    return (short ?? error.message).split("\n")[0] ?? String(error);
  }
  return String(error);
}
