// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title AccountIdLib
/// @notice The Bittensor account id (coldkey) that an EVM address maps to: blake2b_256("evm:" ‖ address).
/// @dev Frontier's `HashedAddressMapping<BlakeTwo256>`, which subtensor uses. On Bittensor the AddressMapping
/// precompile (0x80c) computes the same value. Here one BLAKE2b compression through the EIP-152 precompile
/// (0x09) does it, because the 24-byte message fits in a single block.
library AccountIdLib {
    /// @dev The BLAKE2b-256 initial state (IV with h0 ^= 0x01010020), as eight little-endian 64-bit words.
    bytes internal constant _INITIAL_STATE =
        hex"28c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
        hex"d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b";
    address private constant _BLAKE2F = address(0x09);

    error Blake2fFailed();

    /// @notice The coldkey of `account` as the chain sees it.
    function evmToAccountId(address account) internal view returns (bytes32 id) {
        // rounds (4, big-endian) ‖ h (64) ‖ m (128) ‖ t (16, little-endian) ‖ f (1) = 213 bytes
        bytes memory input = abi.encodePacked(
            uint32(12),
            _INITIAL_STATE,
            bytes4("evm:"),
            account,
            new bytes(104),
            uint64(0x1800000000000000), // t0 = 24 bytes, little-endian
            uint64(0),
            uint8(1)
        );
        (bool ok, bytes memory out) = _BLAKE2F.staticcall(input);
        if (!ok || out.length != 64) revert Blake2fFailed();
        assembly ("memory-safe") {
            id := mload(add(out, 32))
        }
    }
}
