// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {VaultAddress} from "../libraries/VaultAddress.sol";
import {ISubnetPrecompile} from "../precompiles/ISubnetPrecompile.sol";

import {ILiquidVaultFactory} from "./interfaces/ILiquidVaultFactory.sol";
import {StakingClient} from "./StakingClient.sol";

/// @title LiquidVaultFactory
/// @notice Creates the liquid alpha vault of any (netuid, hotkey) of a registered subnet, permissionlessly, at
/// CREATE2(this, keccak256(netuid, hotkey, registration block), keccak256(vault creation code)): `vaultFor` is known
/// before the vault exists. Its owner is the vaults' governance and its guardian may pause their deposits.
/// @dev The subnet's registration block is part of the salt: when a netuid is dissolved and registered again, the new
/// subnet gets new vaults and the old ones stay with the holders of the old subnet's refund.
/// @dev The vault's constructor takes no arguments, so its init code hash is one constant; it reads its (netuid,
/// hotkey) from `pendingVault` (transient storage, set only while `createVault` runs) and the precompile addresses and
/// minimum deposit from this factory's immutables. The creation code lives in a `LiquidVaultCode` data contract,
/// copied at each creation, so the factory stays small.
/// @dev Warning: the precompile addresses are fixed at deployment: Bittensor's on its runtime (945, 964), the adapters
/// elsewhere.
contract LiquidVaultFactory is ILiquidVaultFactory, Ownable2Step {
    /// @dev transient slot: keccak256("LiquidVaultFactory.pendingVault") − 1
    bytes32 private constant PENDING_SLOT = 0x860f279506c437100be7f0b4e5bf016fdbc5f7aeda12c48f9f7d9cc7e45e7c5b;

    address internal immutable STAKING;
    address internal immutable ALPHA;
    address internal immutable SUBNET;
    address internal immutable ADDRESS_MAPPING;
    /// @inheritdoc ILiquidVaultFactory
    uint256 public immutable MIN_DEPOSIT_RAO;
    /// @notice The `LiquidVaultCode` data contract: a STOP byte, then the vault's creation code.
    address public immutable VAULT_CODE;
    /// @inheritdoc ILiquidVaultFactory
    bytes32 public immutable VAULT_INIT_CODE_HASH;

    error EmptyVaultCode(address vaultCode);

    /// @inheritdoc ILiquidVaultFactory
    address public guardian;
    /// @inheritdoc ILiquidVaultFactory
    mapping(address vault => bool) public isVault;

    constructor(
        address owner_,
        address guardian_,
        StakingClient.Precompiles memory precompiles_,
        uint256 minDepositRao,
        address vaultCode
    ) Ownable(owner_) {
        STAKING = precompiles_.staking;
        ALPHA = precompiles_.alpha;
        SUBNET = precompiles_.subnet;
        ADDRESS_MAPPING = precompiles_.addressMapping;
        MIN_DEPOSIT_RAO = minDepositRao;
        bytes memory creationCode = _creationCode(vaultCode);
        if (creationCode.length == 0) revert EmptyVaultCode(vaultCode);
        VAULT_CODE = vaultCode;
        VAULT_INIT_CODE_HASH = keccak256(creationCode);
        guardian = guardian_;
        emit SetGuardian(guardian_);
    }

    /// @inheritdoc ILiquidVaultFactory
    function createVault(uint16 netuid, bytes32 hotkey) external returns (address vault) {
        if (netuid == 0) revert UnsupportedNetuid(netuid);
        uint64 registeredAt = ISubnetPrecompile(SUBNET).getNetworkRegistrationBlock(netuid);
        if (registeredAt == 0) revert UnknownSubnet(netuid);
        bytes32 salt = VaultAddress.salt(netuid, hotkey, registeredAt);
        address expected = vaultForInstance(netuid, hotkey, registeredAt);
        if (expected.code.length != 0) revert VaultExists(expected);
        bytes32 packed = bytes32((uint256(netuid) << 240) | (uint256(registeredAt) << 176) | 1);
        assembly ("memory-safe") {
            tstore(PENDING_SLOT, packed)
            tstore(add(PENDING_SLOT, 1), hotkey)
        }
        bytes memory creationCode = _creationCode(VAULT_CODE);
        assembly ("memory-safe") {
            vault := create2(0, add(creationCode, 32), mload(creationCode), salt)
        }
        // A failed constructor (an unregistered subnet, root) surfaces with its own error.
        if (vault == address(0)) {
            assembly ("memory-safe") {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
        }
        assembly ("memory-safe") {
            tstore(PENDING_SLOT, 0)
            tstore(add(PENDING_SLOT, 1), 0)
        }
        isVault[vault] = true;
        emit CreateVault(netuid, hotkey, vault);
    }

    /// @inheritdoc ILiquidVaultFactory
    function vaultFor(uint16 netuid, bytes32 hotkey) external view returns (address) {
        return vaultForInstance(netuid, hotkey, ISubnetPrecompile(SUBNET).getNetworkRegistrationBlock(netuid));
    }

    /// @inheritdoc ILiquidVaultFactory
    function vaultForInstance(uint16 netuid, bytes32 hotkey, uint64 registeredAtBlock) public view returns (address) {
        return VaultAddress.compute(address(this), VAULT_INIT_CODE_HASH, netuid, hotkey, registeredAtBlock);
    }

    /// @inheritdoc ILiquidVaultFactory
    function pendingVault() external view returns (uint16 netuid, bytes32 hotkey, uint64 registeredAtBlock) {
        bytes32 packed;
        assembly ("memory-safe") {
            packed := tload(PENDING_SLOT)
            hotkey := tload(add(PENDING_SLOT, 1))
        }
        netuid = uint16(uint256(packed) >> 240);
        registeredAtBlock = uint64(uint256(packed) >> 176);
    }

    /// @inheritdoc ILiquidVaultFactory
    function precompiles() external view returns (StakingClient.Precompiles memory) {
        return StakingClient.Precompiles(STAKING, ALPHA, SUBNET, ADDRESS_MAPPING);
    }

    /// @notice Sets the account that may pause the vaults' deposits (the owner always may).
    function setGuardian(address guardian_) external onlyOwner {
        guardian = guardian_;
        emit SetGuardian(guardian_);
    }

    /// @inheritdoc ILiquidVaultFactory
    function owner() public view override(Ownable, ILiquidVaultFactory) returns (address) {
        return super.owner();
    }

    /// @dev The vault's creation code: `vaultCode`'s code without its leading STOP byte.
    function _creationCode(address vaultCode) internal view returns (bytes memory code) {
        uint256 size = vaultCode.code.length;
        if (size <= 1) return code;
        code = new bytes(size - 1);
        assembly ("memory-safe") {
            extcodecopy(vaultCode, add(code, 32), 1, sub(size, 1))
        }
    }
}
