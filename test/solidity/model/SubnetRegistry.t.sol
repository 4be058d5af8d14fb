// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {BaseTest} from "../BaseTest.sol";

/// @notice SubnetRegistry: lock cost, registration, pruning, hyperparameters, owner calls.
contract SubnetRegistryTest is BaseTest {
    function _register(address who, bytes32 hk, uint256 sendRao, uint256 maxLock) internal returns (uint16) {
        vm.deal(who, who.balance + _wei(sendRao));
        vm.prank(who);
        return registry.registerNetwork{value: _wei(sendRao)}(hk, "name", maxLock);
    }

    function test_registerNetwork_opensPoolAtTheMinimumLock() public {
        uint16 id = _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        assertEq(id, 1, "lowest free netuid");
        SubnetRegistry.Subnet memory s = registry.subnet(id);
        assertEq(s.owner, owner1, "owner");
        assertEq(s.ownerColdkey, ck(owner1), "coldkey");
        assertEq(s.lockedRao, MIN_LOCK_RAO, "lock");
        assertEq(s.generation, 1, "generation");
        assertEq(pools.poolState(id).taoReserve, MIN_LOCK_RAO, "pool TAO = lock");
        assertEq(pools.poolState(id).alphaReserve, MIN_LOCK_RAO, "first subnet starts at price 1");
        assertTrue(registry.isActive(id), "active");
        assertEq(registry.subnetCount(), 1, "count");
        assertEq(metagraph.neuronCount(id), 1, "owner is uid 0");
        (bool registered, uint16 uid) = metagraph.uidOf(id, OWNER1_HOTKEY);
        assertTrue(registered && uid == 0, "owner hotkey uid 0");
    }

    /// @dev A pause of the pools stops new subnets (and so new stake) but, as the pools' tests show, never exits.
    function test_RevertWhen_registerNetwork_paused() public {
        vm.prank(pauser);
        pools.pause();
        vm.deal(owner1, _wei(MIN_LOCK_RAO));
        vm.prank(owner1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(OWNER1_HOTKEY, "name", MIN_LOCK_RAO);
    }

    function test_RevertWhen_registerNetwork_refundRejected() public {
        RejectsTao caller = new RejectsTao();
        vm.deal(address(caller), _wei(MIN_LOCK_RAO + TAO));
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundFailed.selector, address(caller), _wei(TAO)));
        caller.register(registry, OWNER1_HOTKEY, MIN_LOCK_RAO + TAO, MIN_LOCK_RAO);
    }

    function test_registerNetwork_refundsExcess() public {
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO + 5 * TAO, MIN_LOCK_RAO);
        assertEq(owner1.balance, _wei(5 * TAO), "excess back");
    }

    function test_registerNetwork_lockDoublesThenDecays() public {
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        uint256 start = block.number;
        vm.roll(start + NETWORK_RATE_LIMIT);
        // 2L − L·10/1000
        uint256 expected = 2 * MIN_LOCK_RAO - (MIN_LOCK_RAO * NETWORK_RATE_LIMIT) / LOCK_REDUCTION_INTERVAL;
        assertEq(registry.lockCost(), expected, "doubled, decaying");
        vm.roll(start + 2 * LOCK_REDUCTION_INTERVAL);
        assertEq(registry.lockCost(), MIN_LOCK_RAO, "back to the minimum");
    }

    function test_registerNetwork_newSubnetStartsAtTheMedianPrice() public {
        uint16 a = _registerSubnet(owner1, OWNER1_HOTKEY);
        // double subnet 1's price: stake until the pool is ≈ 141 TAO / 70.7 alpha
        _stake(alice, OWNER1_HOTKEY, a, 42 * TAO);
        uint256 price = pools.getAlphaPrice(a);
        uint16 b = _registerSubnet(owner2, OWNER2_HOTKEY);
        uint256 lock = registry.subnet(b).lockedRao;
        assertEq(pools.poolState(b).alphaReserve, (lock * WAD) / price, "alpha = lock / median price");
    }

    function test_RevertWhen_registerNetwork_invalidName() public {
        vm.deal(owner1, _wei(MIN_LOCK_RAO));
        vm.startPrank(owner1);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidName.selector, 0));
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(OWNER1_HOTKEY, "", MIN_LOCK_RAO);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidName.selector, 33));
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(
            OWNER1_HOTKEY,
            "123456789012345678901234567890123",
            MIN_LOCK_RAO
        );
        vm.stopPrank();
    }

    function test_RevertWhen_registerNetwork_rateLimited() public {
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        uint256 next = block.number + NETWORK_RATE_LIMIT;
        vm.deal(owner2, _wei(1000 * TAO));
        vm.prank(owner2);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NetworkRateLimited.selector, next));
        registry.registerNetwork{value: _wei(1000 * TAO)}(OWNER2_HOTKEY, "two", 1000 * TAO);
    }

    function test_RevertWhen_registerNetwork_lockAboveMax() public {
        vm.deal(owner1, _wei(MIN_LOCK_RAO));
        vm.prank(owner1);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistry.LockCostAboveMax.selector, MIN_LOCK_RAO, MIN_LOCK_RAO - 1)
        );
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(OWNER1_HOTKEY, "one", MIN_LOCK_RAO - 1);
    }

    function test_RevertWhen_registerNetwork_insufficientLock() public {
        vm.deal(owner1, _wei(MIN_LOCK_RAO));
        vm.prank(owner1);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistry.InsufficientLock.selector, MIN_LOCK_RAO - 1, MIN_LOCK_RAO)
        );
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO - 1)}(OWNER1_HOTKEY, "one", MIN_LOCK_RAO);
    }

    function test_RevertWhen_registerNetwork_notWholeRao() public {
        vm.deal(owner1, _wei(MIN_LOCK_RAO) + 1);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, _wei(MIN_LOCK_RAO) + 1));
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO) + 1}(OWNER1_HOTKEY, "one", MIN_LOCK_RAO);
    }

    function test_RevertWhen_registerNetwork_limitReachedAndAllImmune() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        _registerSubnet(owner3, OWNER3_HOTKEY);
        vm.roll(registry.lastLockBlock() + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        vm.deal(carol, _wei(cost));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.SubnetLimitReached.selector, SUBNET_LIMIT));
        registry.registerNetwork{value: _wei(cost)}(keccak256("carol"), "four", cost);
    }

    /// @dev At the limit the non-immune subnet with the lowest moving price is dissolved and its netuid reused.
    function test_registerNetwork_prunesLowestMovingPrice() public {
        uint16 a = _registerSubnet(owner1, OWNER1_HOTKEY);
        uint16 b = _registerSubnet(owner2, OWNER2_HOTKEY);
        uint16 c = _registerSubnet(owner3, OWNER3_HOTKEY);
        // emission starts c first, then a, then b: b's moving price has had the least time to rise
        vm.prank(owner3);
        registry.startCall(c);
        _rollBy(10);
        vm.prank(owner1);
        registry.startCall(a);
        _rollBy(10);
        vm.prank(owner2);
        registry.startCall(b);
        uint256 bobAlpha = _stake(bob, OWNER2_HOTKEY, b, 1 * TAO);
        _rollBy(NETWORK_IMMUNITY + 1);
        pools.poke(a);
        pools.poke(b);
        pools.poke(c);
        (uint16 candidate, uint256 lowest) = registry.pruneCandidate();
        assertEq(candidate, b, "lowest moving price");
        assertEq(lowest, pools.getMovingAlphaPrice(b), "its price");
        assertLt(pools.getMovingAlphaPrice(b), pools.getMovingAlphaPrice(a), "below a");
        assertLt(pools.getMovingAlphaPrice(a), pools.getMovingAlphaPrice(c), "a below c");

        uint256 tao = pools.poolState(b).taoReserve;
        uint256 issuance = pools.bookkeeping(b).alphaIssuance;
        uint16 id = _registerSubnet(carol, keccak256("carol"));
        assertEq(id, b, "netuid reused");
        assertEq(registry.subnet(b).generation, 2, "new generation");
        assertEq(registry.subnetCount(), SUBNET_LIMIT, "still at the limit");
        assertEq(pools.refundState(b, 1).taoRao, tao, "refund recorded");
        vm.prank(bob);
        uint256 refund = pools.claimRefund(OWNER2_HOTKEY, b, 1);
        assertEq(refund, (bobAlpha * tao) / issuance, "bob's pro-rata refund");
    }

    function test_pruneCandidate_tieGoesToEarliestRegistration() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        _rollBy(NETWORK_IMMUNITY + 1);
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, 1, "earliest of two equal (zero) prices");
        assertEq(price, 0, "no emission yet: moving price 0");
    }

    function test_startCall_startsEmission() public {
        uint16 id = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(owner1);
        registry.startCall(id);
        assertEq(pools.subnetConfig(id).firstEmissionBlock, block.number + 1, "emission from next block");
    }

    function test_RevertWhen_startCall_notOwnerOrUnknown() public {
        uint16 id = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NotSubnetOwner.selector, id, bob));
        registry.startCall(id);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(5)));
        registry.startCall(5);
    }

    function test_setHyperparameters_storesAndUpdatesPoolTempo() public {
        uint16 id = _registerSubnet(owner1, OWNER1_HOTKEY);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.tempo = 99;
        hp.maxUids = 16;
        vm.prank(owner1);
        registry.setHyperparameters(id, hp);
        assertEq(registry.hyperparameters(id).maxUids, 16, "stored");
        assertEq(pools.subnetConfig(id).tempo, 99, "pool tempo");
        assertEq(pools.subnetConfig(id).feeRate, 33, "fee kept");
    }

    function test_RevertWhen_setHyperparameters_outOfBounds() public {
        uint16 id = _registerSubnet(owner1, OWNER1_HOTKEY);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        vm.startPrank(owner1);
        hp.tempo = MIN_TEMPO - 1;
        _expectInvalid("tempo", hp.tempo);
        registry.setHyperparameters(id, hp);
        hp.tempo = 50_401;
        _expectInvalid("tempo", hp.tempo);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.maxUids = 0;
        _expectInvalid("maxUids", 0);
        registry.setHyperparameters(id, hp);
        hp.maxUids = 4097;
        _expectInvalid("maxUids", 4097);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.maxValidators = hp.maxUids + 1;
        _expectInvalid("maxValidators", hp.maxValidators);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.bondsMovingAverage = 975_001;
        _expectInvalid("bondsMovingAverage", 975_001);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.minBurnRao = hp.maxBurnRao + 1;
        _expectInvalid("minBurnRao", hp.minBurnRao);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.targetRegistrationsPerInterval = 0;
        _expectInvalid("targetRegistrationsPerInterval", 0);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.adjustmentInterval = 0;
        _expectInvalid("adjustmentInterval", 0);
        registry.setHyperparameters(id, hp);
        hp = _defaultHyperparameters();
        hp.activityCutoff = 0;
        _expectInvalid("activityCutoff", 0);
        registry.setHyperparameters(id, hp);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NotSubnetOwner.selector, id, bob));
        registry.setHyperparameters(id, _defaultHyperparameters());
    }

    function _expectInvalid(string memory name, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, name, value));
    }

    function test_setPoolFees_adminOnly() public {
        uint16 id = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(admin);
        registry.setPoolFees(id, 100, 5);
        assertEq(pools.subnetConfig(id).feeRate, 100, "fee");
        assertEq(pools.subnetConfig(id).minStake, 5, "min stake");
        bytes32 role = registry.DEFAULT_ADMIN_ROLE();
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner1, role));
        registry.setPoolFees(id, 100, 5);
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(9)));
        registry.setPoolFees(9, 100, 5);
    }

    function test_RevertWhen_setMetagraph_twiceOrNotAdmin() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.MetagraphAlreadySet.selector, address(metagraph)));
        registry.setMetagraph(Metagraph(address(1)));
        bytes32 role = registry.DEFAULT_ADMIN_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        registry.setMetagraph(Metagraph(address(1)));
    }

    function test_RevertWhen_constructor_invalidLimits() public {
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "subnetLimit", 0));
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 1000, 10, 50, 0, hp);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "subnetLimit", 256));
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 1000, 10, 50, 256, hp);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "lockReductionInterval", 0)
        );
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 0, 10, 50, 3, hp);
    }

    function test_views_activeNetuidsAndOwnerHotkey() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        uint16[] memory ids = registry.activeNetuids();
        assertEq(ids.length, 2, "two");
        assertEq(ids[0], 1, "first");
        assertEq(ids[1], 2, "second");
        assertEq(registry.ownerHotkey(2), OWNER2_HOTKEY, "owner hotkey");
        assertTrue(!registry.isActive(0) && !registry.isActive(3), "root and unused are not active");
        assertEq(registry.defaultHyperparameters().tempo, 20, "defaults");
    }
}

/// @dev An account that cannot receive TAO, to check that a failed refund reverts the whole registration.
contract RejectsTao {
    function register(SubnetRegistry registry, bytes32 hotkey, uint256 sendRao, uint256 maxLockRao) external {
        registry.registerNetwork{value: sendRao * 1e9}(hotkey, "name", maxLockRao);
    }
}
