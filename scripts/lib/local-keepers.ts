/**
 * The local chain's keepers: the three accounts `ignition/parameters/local.json` registers on EpochSettlement
 * (mnemonic indexes 32, 33 and 34; quorum 2, no challenge window), each running its own keeper service against the
 * node. They exchange their signatures in memory (as separate processes would through `--signature-dir`) and take
 * turns leading each action. The seed drives them tick by tick to settle its history; `npm start` then lets each one
 * run its own loop.
 *
 * Their log lines are condensed for the main job: one line per settled epoch, and every warning.
 */
import type { NetworkConnection } from "hardhat/types/network";
import pino, { type Logger } from "pino";
import { custom, type Address, type Transport } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { KeeperAddresses } from "../../keeper/chain/contracts.ts";
import { createKeeperService, keysFromMnemonic, MemoryBoard, type KeeperService } from "../../keeper/service/index.ts";
import type { Economy } from "./economy.ts";
import { HARDHAT_MNEMONIC, taoWei } from "./kit.ts";

/** Mnemonic account indexes of the keepers `ignition/parameters/local.json` registers. */
export const LOCAL_KEEPER_INDEXES = [32, 33, 34] as const;

export interface LocalKeepers {
  readonly addresses: readonly Address[];
  readonly quorum: number;
  readonly services: readonly KeeperService[];
  /** One tick of every keeper, side by side (errors are logged by each keeper; an injected crash is rethrown). */
  tickAll(): Promise<void>;
  /** Starts each keeper's own loop. */
  start(): void;
  stop(): Promise<void>;
}

export interface LocalKeepersOptions {
  readonly transport: Transport;
  readonly chainId: number;
  readonly addresses: KeeperAddresses;
  readonly log: Logger;
  /** How often each keeper's loop looks for new blocks (ms). */
  readonly pollIntervalMs?: number;
  /** How long a keeper waits for the leader of an action before doing it itself (ms). */
  readonly graceMs?: number;
}

/**
 * Three keeper services, one per local keeper key, sharing a signature board. Refuses a deployment that does not
 * register these keepers (another parameters file): their signatures would never count.
 */
export async function createLocalKeepers(options: LocalKeepersOptions): Promise<LocalKeepers> {
  const keys = await keysFromMnemonic(HARDHAT_MNEMONIC, LOCAL_KEEPER_INDEXES);
  const board = new MemoryBoard();
  const services: KeeperService[] = [];
  for (const [i, key] of keys.entries()) {
    services.push(
      await createKeeperService({
        transport: options.transport,
        chainId: options.chainId,
        addresses: options.addresses,
        keys: [key],
        board,
        peers: keys.length,
        indexOffset: i,
        log: options.log,
        claimPolicy: "all",
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
        ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      }),
    );
  }
  const reader = services[0]!.keepers[0]!.options.reader;
  const addresses = keys.map((k) => privateKeyToAccount(k).address);
  for (const [i, address] of addresses.entries()) {
    if (!(await reader.isKeeper(address))) {
      throw new Error(
        `EpochSettlement ${options.addresses.settlement} does not register the local keeper ${address} (mnemonic ` +
          `index ${LOCAL_KEEPER_INDEXES[i]}); deploy with ignition/parameters/local.json`,
      );
    }
  }
  const quorum = await reader.quorum();
  if (quorum > addresses.length) {
    throw new Error(`EpochSettlement's quorum is ${quorum}, more than the ${addresses.length} local keepers`);
  }
  return {
    addresses,
    quorum,
    services,
    async tickAll() {
      const results = await Promise.allSettled(services.map((s) => s.tickAll()));
      const failed = results.find((r) => r.status === "rejected");
      if (failed?.status === "rejected") throw failed.reason;
    },
    start() {
      for (const s of services) s.start();
    },
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
    },
  };
}

/** Each keeper's balance for gas on the local chain (TAO). */
export const LOCAL_KEEPER_BALANCE_TAO = 10_000;

/** Gives each local keeper `LOCAL_KEEPER_BALANCE_TAO` for gas (`hardhat_setBalance`: local chains only). */
export async function fundLocalKeepers(connection: NetworkConnection, keepers: LocalKeepers): Promise<void> {
  const testClient = await connection.viem.getTestClient();
  for (const address of keepers.addresses) {
    await testClient.setBalance({ address, value: taoWei(LOCAL_KEEPER_BALANCE_TAO) });
  }
}

/** The local keepers on a Hardhat connection (in-process or a node) to `economy`, funded for gas. */
export async function localKeepersOn(
  connection: NetworkConnection,
  economy: Economy,
  options: { log: Logger; graceMs?: number },
): Promise<LocalKeepers> {
  const publicClient = await connection.viem.getPublicClient();
  const keepers = await createLocalKeepers({
    transport: custom(connection.provider),
    chainId: await publicClient.getChainId(),
    addresses: {
      settlement: economy.settlement.address,
      registry: economy.registry.address,
      metagraph: economy.metagraph.address,
      pools: economy.pools.address,
      startBlock: 0,
    },
    log: options.log,
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
  });
  await fundLocalKeepers(connection, keepers);
  return keepers;
}

/** What the main job shows of the keepers' log: `settled` lines only while `showSettled` is on; warnings always. */
export interface KeeperLogPrinter {
  readonly logger: Logger;
  showSettled: boolean;
}

/**
 * A pino logger whose lines are printed as one short line each: `epoch settled` (with the subnet's name when
 * `names` knows it) and every warning or error; the keepers' other steps are left out.
 */
export function keeperLogPrinter(print: (line: string) => void, names: (netuid: number) => string | undefined) {
  const printer: KeeperLogPrinter = {
    showSettled: true,
    logger: pino(
      { level: "info", base: undefined, timestamp: false },
      {
        write(json: string) {
          let entry: Record<string, unknown>;
          try {
            entry = JSON.parse(json) as Record<string, unknown>;
          } catch {
            return;
          }
          const level = Number(entry.level ?? 0);
          const keeper = typeof entry.keeper === "string" ? `${entry.keeper.slice(0, 8)}…` : "keeper";
          const netuid = typeof entry.netuid === "number" ? entry.netuid : undefined;
          const subnet = netuid === undefined ? "" : `${names(netuid) ?? "netuid"} (netuid ${netuid})`;
          if (entry.msg === "epoch settled") {
            if (!printer.showSettled) return;
            const toClaim =
              typeof entry.dividendsToClaim === "number" ? `; ${entry.dividendsToClaim} uids claim dividends` : "";
            const paid = Number(entry.paid);
            print(
              `${subnet}: epoch ${String(entry.epoch)} settled by ${keeper} ` +
                `(${paid} validator${paid === 1 ? "" : "s"} paid${toClaim})`,
            );
            return;
          }
          if (level < 40) return;
          const detail = typeof entry.err === "string" ? `: ${entry.err}` : "";
          print(
            `${level >= 50 ? "error" : "warning"} from ${keeper}${subnet ? ` on ${subnet}` : ""}: ${String(entry.msg)}${detail}`,
          );
        },
      },
    ),
  };
  return printer;
}
