/**
 * Where keepers exchange their signatures of a report: in memory (several keepers in one process) or as files in a
 * shared directory (keepers in different processes or machines). A signature is published under the epoch and the
 * report's digest; collecting returns every signature seen for that digest. Signatures are checked by the caller.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Address, Hex } from "viem";

/** One epoch of one subnet instance on one settlement contract. */
export interface EpochKey {
  readonly chainId: bigint;
  readonly settlement: Address;
  readonly netuid: number;
  readonly generation: number;
  readonly epoch: number;
}

export interface SignatureBoard {
  publish(key: EpochKey, digest: Hex, signer: Address, signature: Hex): Promise<void>;
  collect(key: EpochKey, digest: Hex): Promise<Map<Address, Hex>>;
}

const keyPath = (k: EpochKey) => `${k.chainId}-${k.settlement.toLowerCase()}/${k.netuid}-${k.generation}-${k.epoch}`;

export class MemoryBoard implements SignatureBoard {
  private readonly signatures = new Map<string, Map<Address, Hex>>();
  publish(key: EpochKey, digest: Hex, signer: Address, signature: Hex): Promise<void> {
    const id = `${keyPath(key)}/${digest.toLowerCase()}`;
    let map = this.signatures.get(id);
    if (map === undefined) this.signatures.set(id, (map = new Map<Address, Hex>()));
    map.set(signer, signature);
    return Promise.resolve();
  }
  collect(key: EpochKey, digest: Hex): Promise<Map<Address, Hex>> {
    return Promise.resolve(new Map(this.signatures.get(`${keyPath(key)}/${digest.toLowerCase()}`) ?? []));
  }
}

/** `<dir>/<chainId>-<settlement>/<netuid>-<generation>-<epoch>/<digest>/<signer>.sig`, written atomically. */
export class DirectoryBoard implements SignatureBoard {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }
  private folder(key: EpochKey, digest: Hex): string {
    return path.join(this.dir, keyPath(key), digest.toLowerCase());
  }
  async publish(key: EpochKey, digest: Hex, signer: Address, signature: Hex): Promise<void> {
    const folder = this.folder(key, digest);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${signer.toLowerCase()}.sig`);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, `${signature}\n`);
    await rename(tmp, file);
  }
  async collect(key: EpochKey, digest: Hex): Promise<Map<Address, Hex>> {
    const folder = this.folder(key, digest);
    let files: string[];
    try {
      files = await readdir(folder);
    } catch {
      return new Map();
    }
    const out = new Map<Address, Hex>();
    for (const file of files) {
      const match = /^(0x[0-9a-f]{40})\.sig$/.exec(file);
      if (!match) continue;
      const text = (await readFile(path.join(folder, file), "utf8")).trim();
      if (/^0x[0-9a-fA-F]{130}$/.test(text)) out.set(match[1] as Address, text as Hex);
    }
    return out;
  }
}
