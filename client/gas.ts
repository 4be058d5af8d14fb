/**
 * A gas limit for a transaction estimated at the head of the chain. The first interaction with a subnet in a block
 * also runs the subnet's emission catch-up (tens of thousands of gas per subnet), so a transaction estimated in one
 * block and mined in the next can need more than its estimate: without headroom the node refuses it as out of gas.
 * Unused gas is not charged.
 */
export function gasWithHeadroom(estimate: bigint): bigint {
  return (estimate * 3n) / 2n + 100_000n;
}
