import { numberToHex } from "viem";

/** A block as a node returns it (the fields viem reads). */
export function rpcBlock(number: bigint, timestamp: bigint) {
  return {
    number: numberToHex(number),
    timestamp: numberToHex(timestamp),
    hash: `0x${"ab".repeat(32)}`,
    parentHash: `0x${"cd".repeat(32)}`,
    transactions: [],
    gasLimit: "0x1c9c380",
    gasUsed: "0x0",
    baseFeePerGas: "0x7",
    difficulty: "0x0",
    size: "0x200",
  };
}
