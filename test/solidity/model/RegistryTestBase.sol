// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../../contracts/model/AlphaPoolsExtension.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {BaseTest} from "../BaseTest.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @dev Cheatcodes beyond `Vm`'s minimal set.
interface MoreCheatcodes {
    function getBlockNumber() external view returns (uint256);
}

/// @dev An account that can act (call anything, with TAO) and can be told to refuse incoming TAO, to check that a
/// failed payment reverts the whole operation.
contract Actor {
    bool public refuseTao;

    function setRefuseTao(bool refuse) external {
        refuseTao = refuse;
    }

    function act(address target, uint256 value, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory result) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }

    receive() external payable {
        if (refuseTao) revert("no TAO");
    }
}

/// @title RegistryTestBase
/// @notice Helpers for the registry, metagraph and root dividends suites, over `BaseTest`'s economy: short arrays,
/// neurons whose hotkey is the caller's own account id, settlement steps, and whole economies with other parameters.
abstract contract RegistryTestBase is BaseTest {
    /// @dev A whole economy with its own parameters (the tests' default one is `pools`/`registry`/…).
    struct Economy {
        AlphaPools pools;
        SubnetRegistry registry;
        Metagraph metagraph;
        RootDividends rootDividends;
    }

    struct EconomyParams {
        uint256 initialIssuanceRao;
        uint64 minLockRao;
        uint32 lockReductionInterval;
        uint32 networkRateLimit;
        uint32 networkImmunityPeriod;
        uint16 subnetLimit;
    }

    function _defaultEconomyParams() internal pure returns (EconomyParams memory) {
        return
            EconomyParams({
                initialIssuanceRao: INITIAL_ISSUANCE_RAO,
                minLockRao: MIN_LOCK_RAO,
                lockReductionInterval: LOCK_REDUCTION_INTERVAL,
                networkRateLimit: NETWORK_RATE_LIMIT,
                networkImmunityPeriod: NETWORK_IMMUNITY,
                subnetLimit: SUBNET_LIMIT
            });
    }

    /// @dev Deploys and wires an economy as `BaseTest.setUp` does, with other registry and issuance parameters.
    function _deployEconomy(EconomyParams memory p) internal returns (Economy memory e) {
        AlphaPoolsExtension extension = Deploy.alphaPoolsExtension(
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD
        );
        e.pools = Deploy.alphaPools(
            admin,
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD,
            p.initialIssuanceRao,
            extension
        );
        e.registry = Deploy.subnetRegistry(
            admin,
            e.pools,
            MIN_TEMPO,
            p.minLockRao,
            p.lockReductionInterval,
            p.networkRateLimit,
            p.networkImmunityPeriod,
            p.subnetLimit,
            _defaultHyperparameters(),
            ISubnetRegistry.PoolSettings(FEE_RATE, MIN_STAKE_RAO)
        );
        e.metagraph = Deploy.metagraph(
            admin,
            e.pools,
            e.registry,
            INITIAL_BURN_RAO,
            DEFAULT_TAKE,
            MAX_TAKE,
            TAKE_RATE_LIMIT
        );
        e.rootDividends = Deploy.rootDividends(admin, e.pools);
        vm.startPrank(admin);
        e.registry.setMetagraph(e.metagraph);
        e.pools.wire(e.metagraph, e.rootDividends);
        e.pools.grantRole(e.pools.REGISTRY_ROLE(), address(e.registry));
        e.pools.grantRole(e.pools.METAGRAPH_ROLE(), address(e.metagraph));
        e.pools.grantRole(e.pools.ROOT_DIVIDENDS_ROLE(), address(e.rootDividends));
        e.pools.grantRole(e.pools.SETTLER_ROLE(), settler);
        e.metagraph.grantRole(e.metagraph.SETTLER_ROLE(), settler);
        e.rootDividends.grantRole(e.rootDividends.SETTLER_ROLE(), settler);
        vm.stopPrank();
    }

    /// @dev Registers a subnet on another economy, for `owner` whose own account id is the owner hotkey.
    function _registerOn(Economy memory e, address owner) internal returns (uint16 netuid) {
        uint256 last = e.registry.lastLockBlock();
        uint256 limit = e.registry.networkRateLimit();
        if (last != 0 && _blockNow() < last + limit) vm.roll(last + limit);
        uint256 cost = e.registry.lockCost();
        bytes32 hotkey = ck(owner);
        vm.deal(owner, owner.balance + _wei(cost));
        vm.prank(owner);
        netuid = e.registry.registerNetwork{value: _wei(cost)}(hotkey, "subnet", cost);
    }

    /* BLOCKS */

    /// @dev The current block, read through a cheatcode. With via-IR the compiler treats `block.number` as constant
    /// within a call and may re-read it where a local is used, after a `vm.roll`; a cheatcode call is read once.
    function _blockNow() internal view returns (uint256) {
        return MoreCheatcodes(address(vm)).getBlockNumber();
    }

    function _advance(uint256 blocks) internal {
        vm.roll(_blockNow() + blocks);
    }

    /* ARRAYS */

    function _u16(uint16 a) internal pure returns (uint16[] memory r) {
        r = new uint16[](1);
        r[0] = a;
    }

    function _u16(uint16 a, uint16 b) internal pure returns (uint16[] memory r) {
        r = new uint16[](2);
        (r[0], r[1]) = (a, b);
    }

    function _u16(uint16 a, uint16 b, uint16 c) internal pure returns (uint16[] memory r) {
        r = new uint16[](3);
        (r[0], r[1], r[2]) = (a, b, c);
    }

    function _words(uint256 a) internal pure returns (uint256[] memory r) {
        r = new uint256[](1);
        r[0] = a;
    }

    /* NEURONS */

    /// @dev Registers `who`'s own account id as a hotkey on `netuid` (so `who` can set weights), at the current
    /// burn; returns the uid.
    function _neuron(uint16 netuid, address who) internal returns (uint16 uid) {
        uint256 burn = metagraph.burnCost(netuid);
        bytes32 hotkey = ck(who);
        vm.deal(who, who.balance + _wei(burn));
        vm.prank(who);
        uid = metagraph.burnedRegister{value: _wei(burn)}(netuid, hotkey, burn);
    }

    /// @dev Gives the listed uids a validator permit (uid 0 keeps its own), as a settlement would.
    function _permit(uint16 netuid, uint16[] memory uids) internal {
        uint256 word = 1;
        for (uint256 i; i < uids.length; ++i) word |= uint256(1) << uids[i];
        uint32 generation = metagraph.generationOf(netuid);
        vm.prank(settler);
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, _words(word));
    }

    /* SETTLEMENT */

    /// @dev Closes the subnet's pending emission into the settler's pot, as an epoch would.
    function _closePending(
        uint16 netuid
    ) internal returns (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) {
        vm.prank(settler);
        (generation, pot) = pools.closePending(netuid);
    }

    /* REGISTRY */

    function _expectInvalid(string memory name, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, name, value));
    }

    /// @dev The subnet's moving price as stored at its last catch-up.
    function _storedMovingPriceWad(uint16 netuid) internal view returns (uint256) {
        (, IAlphaPoolsTypes.Emission memory em, ) = pools.storedSubnet(netuid);
        return em.movingPriceWad;
    }

    function _storedSpotPriceWad(uint16 netuid) internal view returns (uint256) {
        (IAlphaPoolsTypes.Pool memory pool, , ) = pools.storedSubnet(netuid);
        return (uint256(pool.taoRao) * WAD) / pool.alphaRao;
    }
}
