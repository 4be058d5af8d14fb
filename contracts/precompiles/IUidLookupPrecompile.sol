// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IUidLookupPrecompile
/// @notice Bittensor's uid lookup precompile at 0x0000000000000000000000000000000000000806: the uids of a subnet whose
/// hotkey has associated a given EVM address (extrinsic `associate_evm_key`, signed by that address).
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/uid_lookup.rs`).
/// @dev Warning: a failed call ends in an EVM error that consumes the forwarded gas and returns no data. Root can
/// switch the precompile off (admin-utils `PrecompileEnable`).
interface IUidLookupPrecompile {
    /// @notice One match, field for field as the precompile encodes it (a Rust `(u16, u64)` tuple).
    struct LookupItem {
        uint16 uid;
        /// @dev The block at which the uid's hotkey associated the address.
        uint64 blockAssociated;
    }

    /// @notice The uids on `netuid` associated with `evmAddress`, oldest association first.
    /// @dev Warning: `limit` bounds the number of association entries scanned (in storage order), not the number of
    /// matches: a match beyond the first `limit` entries is missed. Gas grows with `limit` (one storage read each).
    /// @param netuid The subnet.
    /// @param evmAddress The associated EVM address.
    /// @param limit How many association entries to scan.
    /// @return matches The matching uids with their association blocks.
    function uidLookup(
        uint16 netuid,
        address evmAddress,
        uint16 limit
    ) external view returns (LookupItem[] memory matches);
}
