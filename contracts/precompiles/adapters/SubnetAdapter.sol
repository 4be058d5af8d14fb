// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../interfaces/IAlphaPools.sol";
import {ISubnetRegistry} from "../../interfaces/ISubnetRegistry.sol";
import {SubnetRegistry} from "../../model/SubnetRegistry.sol";
import {ISubnetAdapterExtension} from "./IModelAdapter.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title SubnetAdapter
/// @notice The part of Bittensor's subnet precompile (0x803) that the model holds: the registration block and the
/// hyperparameter getters the model keeps, with the chain's selectors, types and units. Every other selector fails,
/// as an unknown one does on the chain.
/// @dev Not answered (they fail): registration and every setter, `toggleTransfers` (the model lets only the subnet
/// owner's EVM account change its settings, not an origin acting for its coldkey), and the getters of settings the
/// model does not keep (serving, difficulty, rho, adjustment alpha, max weight limit, min allowed weights, activity
/// cutoff factor, commit-reveal interval, registration flags, bonds reset).
/// @dev Extension (not a precompile function): `claimDissolutionRefunds`, the local chain's stand-in for the refund
/// Bittensor pays without a call when it dissolves a subnet.
contract SubnetAdapter is PrecompileAdapter, ISubnetAdapterExtension {
    ISubnetRegistry internal immutable REGISTRY;
    IAlphaPools internal immutable POOLS;
    /// @dev How many dissolved instances of a netuid `claimDissolutionRefunds` looks back over.
    uint256 internal constant REFUND_GENERATIONS_SCANNED = 16;

    constructor(ISubnetRegistry registry, IAlphaPools pools, address courier) PrecompileAdapter(courier) {
        REGISTRY = registry;
        POOLS = pools;
    }

    /// @notice The block at which the subnet now on `netuid` was registered; 0 when none is.
    function getNetworkRegistrationBlock(uint16 netuid) external view returns (uint64) {
        return REGISTRY.registeredAt(netuid);
    }

    function getWeightsVersionKey(uint16 netuid) external view returns (uint64) {
        return _hp(netuid).weightsVersionKey;
    }

    function getWeightsSetRateLimit(uint16 netuid) external view returns (uint64) {
        return _hp(netuid).weightsRateLimit;
    }

    function getCommitRevealWeightsEnabled(uint16 netuid) external view returns (bool) {
        return _hp(netuid).commitReveal;
    }

    function getMinBurn(uint16 netuid) external view returns (uint64) {
        return _hp(netuid).minBurnRao;
    }

    function getMaxBurn(uint16 netuid) external view returns (uint64) {
        return _hp(netuid).maxBurnRao;
    }

    /// @dev The model's immunity period is a u32; the chain's a u16, so larger values read as 65,535.
    function getImmunityPeriod(uint16 netuid) external view returns (uint16) {
        uint32 blocks = _hp(netuid).immunityPeriod;
        return blocks > type(uint16).max ? type(uint16).max : uint16(blocks);
    }

    function getKappa(uint16 netuid) external view returns (uint16) {
        return _hp(netuid).kappaOf65535;
    }

    /// @dev The bits of the signed steepness, as the chain returns them.
    function getAlphaSigmoidSteepness(uint16 netuid) external view returns (uint16) {
        return uint16(_hp(netuid).alphaSigmoidSteepness);
    }

    function getActivityCutoff(uint16 netuid) external view returns (uint16) {
        return _hp(netuid).activityCutoff;
    }

    function getBondsMovingAverage(uint16 netuid) external view returns (uint64) {
        return _hp(netuid).bondsMovingAveragePpm;
    }

    function getLiquidAlphaEnabled(uint16 netuid) external view returns (bool) {
        return _hp(netuid).liquidAlpha;
    }

    function getAlphaValues(uint16 netuid) external view returns (uint16, uint16) {
        ISubnetRegistry.Hyperparameters memory hp = _hp(netuid);
        return (hp.alphaLowOf65535, hp.alphaHighOf65535);
    }

    function getYuma3Enabled(uint16 netuid) external view returns (bool) {
        return _hp(netuid).yuma3;
    }

    /// @inheritdoc ISubnetAdapterExtension
    /// @dev Permissionless, as the chain's payment is: the TAO can only go to `account`.
    function claimDissolutionRefunds(
        address account,
        bytes32 hotkey,
        uint16 netuid
    ) external returns (uint256 refundRao) {
        ISubnetRegistry.Subnet memory s = REGISTRY.subnet(netuid);
        bytes32 coldkey = _coldkeyOf(account);
        uint256 newest = REGISTRY.isActive(netuid) ? uint256(s.generation) - 1 : s.generation;
        uint256 oldest = newest > REFUND_GENERATIONS_SCANNED ? newest - REFUND_GENERATIONS_SCANNED + 1 : 1;
        for (uint256 g = newest; g >= oldest && g != 0; --g) {
            uint32 generation = uint32(g);
            if (SubnetRegistry(payable(address(REGISTRY))).refundPot(netuid, generation).stakedAlphaRao == 0) continue;
            if (POOLS.instanceStake(netuid, generation, hotkey, coldkey) == 0) continue;
            refundRao += REGISTRY.claimRefundTo(account, hotkey, netuid, generation);
        }
    }

    function _hp(uint16 netuid) internal view returns (ISubnetRegistry.Hyperparameters memory) {
        return REGISTRY.hyperparameters(netuid);
    }
}
