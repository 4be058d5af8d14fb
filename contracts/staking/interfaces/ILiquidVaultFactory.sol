// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StakingClient} from "../StakingClient.sol";

/// @title ILiquidVaultFactory
/// @notice Creates one liquid alpha vault per (netuid, hotkey) at a deterministic address, and holds the governance
/// (its owner) and the guardian that every vault it created answers to.
/// @dev Warning: the owner (governance) can, per vault and each after a timelock, set fees within the vault's caps
/// and migrate its stake to another hotkey; the guardian can pause deposits. Neither can move holders' funds out of
/// the vaults or stop exits.
interface ILiquidVaultFactory {
    event CreateVault(uint16 indexed netuid, bytes32 indexed hotkey, address vault);
    event SetGuardian(address indexed guardian);

    error VaultExists(address vault);
    error UnknownSubnet(uint16 netuid);
    /// @notice Root (netuid 0) is stable 1:1 TAO with its own dividend claims, not a liquid alpha position.
    error UnsupportedNetuid(uint16 netuid);

    /// @notice Creates the vault of (`netuid`, `hotkey`) for the subnet registered on `netuid` now, at
    /// `vaultFor(netuid, hotkey)`; anyone may.
    function createVault(uint16 netuid, bytes32 hotkey) external returns (address vault);

    /// @notice The address of the vault of (`netuid`, `hotkey`) for the subnet registered on `netuid` now, whether or
    /// not it exists yet (CREATE2).
    function vaultFor(uint16 netuid, bytes32 hotkey) external view returns (address);

    /// @notice The address of the vault of (`netuid`, `hotkey`) for the subnet instance registered at
    /// `registeredAtBlock` (a dissolved one included).
    function vaultForInstance(uint16 netuid, bytes32 hotkey, uint64 registeredAtBlock) external view returns (address);

    /// @notice Whether `vault` was created by this factory.
    function isVault(address vault) external view returns (bool);

    /// @notice The precompile addresses every vault calls.
    function precompiles() external view returns (StakingClient.Precompiles memory);

    /// @notice keccak256 of the vault's creation code: the CREATE2 init code hash of every vault.
    function VAULT_INIT_CODE_HASH() external view returns (bytes32);

    /// @notice The smallest TAO deposit, in rao: the chain's minimum stake plus the pool fee on it.
    function MIN_DEPOSIT_RAO() external view returns (uint256);

    /// @notice The (netuid, hotkey, registration block) of the vault being created, for its constructor.
    function pendingVault() external view returns (uint16 netuid, bytes32 hotkey, uint64 registeredAtBlock);

    function owner() external view returns (address);

    function guardian() external view returns (address);
}
