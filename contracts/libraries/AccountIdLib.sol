// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title AccountIdLib
/// @notice The Bittensor account id (coldkey) that an EVM address maps to: blake2b_256("evm:" ‖ address).
/// @dev Frontier's `HashedAddressMapping<BlakeTwo256>`, which subtensor uses. On Bittensor the AddressMapping
/// precompile (0x80c) computes the same value. Here one BLAKE2b compression through the EIP-152 precompile
/// (0x09) does it, because the 24-byte message fits in a single block.
library AccountIdLib {
    /// @dev The BLAKE2b-256 initial state (IV with h0 ^= 0x01010020: no key, 32-byte digest), as eight
    /// little-endian 64-bit words, in two 32-byte halves.
    bytes32 internal constant _STATE_0 = 0x28c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5;
    bytes32 internal constant _STATE_1 = 0xd182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b;

    error Blake2fFailed();

    /// @notice The coldkey of `account` as the chain sees it.
    function evmToAccountId(address account) internal view returns (bytes32 id) {
        bool ok;
        // The precompile's 213-byte input, written in scratch memory past the free memory pointer:
        // rounds (4, big-endian) ‖ h (64) ‖ m (128) ‖ t (16, little-endian) ‖ f (1).
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(224, 12)) // 12 rounds
            mstore(add(ptr, 4), _STATE_0)
            mstore(add(ptr, 36), _STATE_1)
            // m = "evm:" ‖ address ‖ zeros
            mstore(add(ptr, 68), or(shl(224, 0x65766d3a), shl(64, account)))
            mstore(add(ptr, 100), 0)
            mstore(add(ptr, 132), 0)
            mstore(add(ptr, 164), 0)
            mstore(add(ptr, 196), shl(248, 24)) // t = 24 bytes hashed; clears t1 and f
            mstore8(add(ptr, 212), 1) // f: the final block
            // A chain without the precompile answers an empty success: require the 64-byte state back.
            ok := staticcall(gas(), 0x09, ptr, 213, ptr, 64)
            ok := and(ok, eq(returndatasize(), 64))
            id := mload(ptr)
        }
        if (!ok) revert Blake2fFailed();
    }
}
