/**
 * Hardhat configuration variables (`configVariable("EVM_PRIVATE_KEY")` in hardhat.config.ts): which ones a network
 * needs, and whether each is set, checked before anything connects so that a missing key is one clear line.
 *
 * A variable is set when the environment has it or when Hardhat's keystore lists it. The keystore's key names are
 * plain text in its file, so this never asks for the keystore's password (reading the value later does).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConfig } from "hardhat/types/config";

import { checkHttpUrl, checkPrivateKey, envValue, InputError } from "./cli.ts";

/** The names of the configuration variables a network's URL and accounts come from. */
export function networkConfigVariables(config: NetworkConfig): string[] {
  const names: string[] = [];
  const add = (value: unknown) => {
    const name = (value as { name?: unknown } | null)?.name;
    if (typeof name === "string" && !names.includes(name)) names.push(name);
  };
  if (config.type === "http") add(config.url);
  const accounts: unknown = config.accounts;
  if (Array.isArray(accounts)) accounts.forEach(add);
  else if (accounts !== null && typeof accounts === "object") add((accounts as { mnemonic?: unknown }).mnemonic);
  return names;
}

/** Key names in Hardhat's keystores (production and development), or none when there is no keystore. */
async function keystoreKeyNames(): Promise<string[]> {
  // Hardhat skips the keystore on CI servers; so does this check.
  if (envValue("CI") !== undefined) return [];
  const { getConfigDir } = await import("@nomicfoundation/hardhat-utils/global-dir");
  const dir = await getConfigDir();
  const names: string[] = [];
  for (const file of ["keystore.json", "dev.keystore.json"]) {
    try {
      const json = JSON.parse(await readFile(path.join(dir, file), "utf8")) as { secrets?: Record<string, unknown> };
      names.push(...Object.keys(json.secrets ?? {}));
    } catch {
      // no keystore of that kind
    }
  }
  return names;
}

/** Where a configuration variable is set: the environment, the keystore, or nowhere. */
export async function configVariableSource(name: string): Promise<"environment" | "keystore" | undefined> {
  if (envValue(name) !== undefined) return "environment";
  return (await keystoreKeyNames()).includes(name) ? "keystore" : undefined;
}

/**
 * Checks that every variable a network needs is set, and that values in the environment have the right form
 * (an http(s) URL, a 32-byte private key; a key's value is never printed). Returns where each one is set.
 */
export async function checkNetworkVariables(
  networkName: string,
  config: NetworkConfig,
): Promise<{ name: string; source: "environment" | "keystore" }[]> {
  const found: { name: string; source: "environment" | "keystore" }[] = [];
  for (const name of networkConfigVariables(config)) {
    const source = await configVariableSource(name);
    if (source === undefined) {
      throw new InputError(
        `${name} is not set: the network ${networkName} needs it. Set it in the environment, or in Hardhat's ` +
          `keystore: npx hardhat keystore set ${name}`,
      );
    }
    const value = envValue(name);
    if (value !== undefined) {
      if (config.type === "http" && (config.url as { name?: unknown }).name === name) checkHttpUrl(name, value);
      else if (/PRIVATE_KEY$/.test(name)) checkPrivateKey(name, value);
    }
    found.push({ name, source });
  }
  return found;
}
