// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAddressMappingPrecompile
/// @notice Bittensor's address mapping precompile at 0x000000000000000000000000000000000000080C: the 32-byte account
/// id (coldkey) the chain uses for an EVM address.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/address_mapping.rs`). The mapping is
/// Frontier's `HashedAddressMapping<BlakeTwo256>`: blake2b_256("evm:" ‖ address), one way only.
/// @dev Warning: root can switch the precompile off (admin-utils `PrecompileEnable`); the call then fails with an EVM
/// error that consumes the forwarded gas and returns no data.
interface IAddressMappingPrecompile {
    /// @notice The account id of `target`: the coldkey that owns what `target` stakes through the precompiles, and
    /// whose free balance is `target`'s EVM balance.
    /// @param target Any EVM address (a contract's own address gives the contract's coldkey).
    /// @return accountId blake2b_256("evm:" ‖ target).
    function addressMapping(address target) external view returns (bytes32 accountId);
}
