// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../interfaces/IAlphaPools.sol";
import {IMetagraph} from "../../interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../interfaces/ISubnetRegistry.sol";
import {PoolsView} from "../../libraries/PoolsView.sol";
import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {IMetagraphPrecompile} from "../IMetagraphPrecompile.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title MetagraphAdapter
/// @notice Bittensor's metagraph precompile (0x802) answered from the model's metagraph (`IMetagraph.neurons`).
/// @dev As on the chain, `getStake`, `getAxon`, `getHotkey` and `getColdkey` fail for a uid that does not exist and
/// the score getters return 0 for it; `getStake` is the TAO value of the hotkey's stake on every subnet at spot
/// prices, saturated to u64.
/// @dev Divergences, documented: the model records no consensus, incentive, dividends or validator trust per uid
/// (their getters return 0, as rank and trust do on the chain) and serves no axons (`getAxon` is all zero);
/// `getIsActive` is computed now (last update within the activity cutoff), not read from the last epoch.
contract MetagraphAdapter is PrecompileAdapter, IMetagraphPrecompile {
    IMetagraph internal immutable METAGRAPH;
    IAlphaPools internal immutable POOLS;
    ISubnetRegistry internal immutable REGISTRY;

    uint16 internal constant ROOT_NETUID = 0;

    constructor(
        IMetagraph metagraph,
        IAlphaPools pools,
        ISubnetRegistry registry,
        address courier
    ) PrecompileAdapter(courier) {
        METAGRAPH = metagraph;
        POOLS = pools;
        REGISTRY = registry;
    }

    /// @inheritdoc IMetagraphPrecompile
    function getUidCount(uint16 netuid) external view returns (uint16) {
        return METAGRAPH.neuronCount(netuid);
    }

    /// @inheritdoc IMetagraphPrecompile
    function getStake(uint16 netuid, uint16 uid) external view returns (uint64) {
        bytes32 hotkey = _neuron(netuid, uid).hotkey;
        uint256 totalRao = POOLS.hotkeyPool(hotkey, ROOT_NETUID).alphaRao;
        uint16[] memory netuids = REGISTRY.activeNetuids();
        for (uint256 i; i < netuids.length; ++i) {
            uint256 alphaRao = POOLS.hotkeyPool(hotkey, netuids[i]).alphaRao;
            if (alphaRao == 0) continue;
            uint256 priceRao = UnitsLib.wadToRaoPerAlphaDown(PoolsView.spotPriceWad(POOLS, netuids[i]));
            totalRao += UnitsLib.alphaToRaoDown(alphaRao, priceRao);
        }
        return UnitsLib.toU64Saturating(totalRao);
    }

    /// @inheritdoc IMetagraphPrecompile
    function getRank(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    function getTrust(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    /// @dev Warning: not recorded by the model: 0.
    function getConsensus(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    /// @dev Warning: not recorded by the model: 0.
    function getIncentive(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    /// @dev Warning: not recorded by the model: 0.
    function getDividends(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    function getEmission(uint16 netuid, uint16 uid) external view returns (uint64) {
        (bool exists, IMetagraph.NeuronView memory n) = _tryNeuron(netuid, uid);
        return exists ? n.emissionAlphaRao : 0;
    }

    /// @inheritdoc IMetagraphPrecompile
    /// @dev Warning: not recorded by the model: 0.
    function getVtrust(uint16, uint16) external view returns (uint16) {
        return uint16(_constantView(0));
    }

    /// @inheritdoc IMetagraphPrecompile
    function getValidatorStatus(uint16 netuid, uint16 uid) external view returns (bool) {
        (bool exists, IMetagraph.NeuronView memory n) = _tryNeuron(netuid, uid);
        return exists && n.validatorPermit;
    }

    /// @inheritdoc IMetagraphPrecompile
    function getLastUpdate(uint16 netuid, uint16 uid) external view returns (uint64) {
        (bool exists, IMetagraph.NeuronView memory n) = _tryNeuron(netuid, uid);
        return exists ? n.lastUpdate : 0;
    }

    /// @inheritdoc IMetagraphPrecompile
    function getIsActive(uint16 netuid, uint16 uid) external view returns (bool) {
        (bool exists, IMetagraph.NeuronView memory n) = _tryNeuron(netuid, uid);
        if (!exists) return false;
        return block.number <= uint256(n.lastUpdate) + REGISTRY.hyperparameters(netuid).activityCutoff;
    }

    /// @inheritdoc IMetagraphPrecompile
    /// @dev Warning: the model serves no axons: all zero for a uid that exists.
    function getAxon(uint16 netuid, uint16 uid) external view returns (AxonInfo memory axon) {
        _neuron(netuid, uid);
        return axon;
    }

    /// @inheritdoc IMetagraphPrecompile
    function getHotkey(uint16 netuid, uint16 uid) external view returns (bytes32) {
        return _neuron(netuid, uid).hotkey;
    }

    /// @inheritdoc IMetagraphPrecompile
    function getColdkey(uint16 netuid, uint16 uid) external view returns (bytes32) {
        return _neuron(netuid, uid).coldkey;
    }

    function _tryNeuron(uint16 netuid, uint16 uid) internal view returns (bool, IMetagraph.NeuronView memory n) {
        IMetagraph.NeuronView[] memory list = METAGRAPH.neurons(netuid, uid, 1);
        if (list.length == 0) return (false, n);
        return (true, list[0]);
    }

    /// @dev The uid's neuron; fails, as the chain does, when there is none.
    function _neuron(uint16 netuid, uint16 uid) internal view returns (IMetagraph.NeuronView memory n) {
        bool exists;
        (exists, n) = _tryNeuron(netuid, uid);
        if (!exists) _failView();
    }
}
