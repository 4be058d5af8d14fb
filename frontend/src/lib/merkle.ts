/**
 * An allowlist's Merkle tree as OpenZeppelin's `StandardMerkleTree.of(accounts.map((a) => [a]), ["address"])` builds it
 * (the tree `npx hardhat fund:launch` computes a mining fund's `allowlistRoot` with): leaves
 * keccak256(keccak256(abi.encode(account))) sorted, laid out as a complete binary tree in an array, each node the
 * hash of its two children in sorted order. `MiningFund.contribute` checks a proof against the root with
 * OpenZeppelin's `MerkleProof`. A test compares both with the library.
 */
import { type Address, type Hex, concat, encodeAbiParameters, keccak256 } from "viem";

export function allowlistLeaf(account: Address): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: "address" }], [account])));
}

function compareHex(a: Hex, b: Hex): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function hashPair(a: Hex, b: Hex): Hex {
  return keccak256(compareHex(a, b) <= 0 ? concat([a, b]) : concat([b, a]));
}

/** The tree's nodes: the root first, the sorted leaves last (in reverse order). */
function buildTree(accounts: readonly Address[]): Hex[] {
  if (accounts.length === 0) throw new Error("an allowlist needs at least one account");
  const leaves = accounts.map(allowlistLeaf).sort(compareHex);
  const tree = new Array<Hex>(2 * leaves.length - 1);
  leaves.forEach((leaf, i) => (tree[tree.length - 1 - i] = leaf));
  for (let i = tree.length - 1 - leaves.length; i >= 0; i--) tree[i] = hashPair(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return tree;
}

export function allowlistRootOf(accounts: readonly Address[]): Hex {
  return buildTree(accounts)[0]!;
}

/** The proof of `account`, or undefined when it is not on the list. */
export function allowlistProofOf(accounts: readonly Address[], account: Address): Hex[] | undefined {
  const tree = buildTree(accounts);
  const leaf = allowlistLeaf(account);
  let index = tree.findIndex((node, i) => i >= tree.length - accounts.length && node === leaf);
  if (index < 0) return undefined;
  const proof: Hex[] = [];
  while (index > 0) {
    proof.push(tree[index % 2 === 1 ? index + 1 : index - 1]!);
    index = Math.floor((index - 1) / 2);
  }
  return proof;
}

/** Whether `proof` proves `account` under `root` (OpenZeppelin's `MerkleProof.verify` with the allowlist's leaf). */
export function verifyAllowlistProof(root: Hex, account: Address, proof: readonly Hex[]): boolean {
  return proof.reduce((node, sibling) => hashPair(node, sibling), allowlistLeaf(account)) === root;
}
