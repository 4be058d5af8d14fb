// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Precompiles
/// @notice The addresses of Bittensor's EVM precompiles that the interfaces in this folder describe.
/// @dev Address n is `H160::from_low_u64_be(n)` with n the precompile's `INDEX` in subtensor's `precompiles/src`.
/// Warning: 0x801 is the deprecated staking precompile (18-decimal amounts); use `STAKING_V2`.
library Precompiles {
    /// @notice `IBalanceTransferPrecompile` (INDEX 2048).
    address internal constant BALANCE_TRANSFER = 0x0000000000000000000000000000000000000800;
    /// @notice `IMetagraphPrecompile` (INDEX 2050).
    address internal constant METAGRAPH = 0x0000000000000000000000000000000000000802;
    /// @notice `ISubnetPrecompile` (INDEX 2051).
    address internal constant SUBNET = 0x0000000000000000000000000000000000000803;
    /// @notice `INeuronPrecompile` (INDEX 2052).
    address internal constant NEURON = 0x0000000000000000000000000000000000000804;
    /// @notice `IStakingV2` (INDEX 2053).
    address internal constant STAKING_V2 = 0x0000000000000000000000000000000000000805;
    /// @notice `IUidLookupPrecompile` (INDEX 2054).
    address internal constant UID_LOOKUP = 0x0000000000000000000000000000000000000806;
    /// @notice `IAlphaPrecompile` (INDEX 2056).
    address internal constant ALPHA = 0x0000000000000000000000000000000000000808;
    /// @notice `IAddressMappingPrecompile` (INDEX 2060).
    address internal constant ADDRESS_MAPPING = 0x000000000000000000000000000000000000080C;
}
