import { blake2b } from "@noble/hashes/blake2.js";
import { type Address, type Hex, bytesToHex, concatBytes, hexToBytes, stringToBytes } from "viem";

/**
 * The Bittensor account id (coldkey) of an EVM address: blake2b_256("evm:" ‖ address), Frontier's
 * `HashedAddressMapping<BlakeTwo256>`. The model contracts compute the same value on chain (`coldkeyOf`).
 */
export function evmToAccountId(address: Address): Hex {
  return bytesToHex(blake2b(concatBytes([stringToBytes("evm:"), hexToBytes(address)]), { dkLen: 32 }));
}
