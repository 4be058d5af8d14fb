// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {EmissionMath} from "../../../contracts/libraries/EmissionMath.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {SubnetRegistry} from "../../../contracts/model/SubnetRegistry.sol";
import {Actor, RegistryTestBase} from "./RegistryTestBase.sol";

/// @notice SubnetRegistry: the lock cost, registration and its checks, the subnet limit and pruning, the starting
/// price, hyperparameters and pool settings, views.
contract SubnetRegistryTest is RegistryTestBase {
    function _register(address who, bytes32 hotkey, uint256 sendRao, uint256 maxLockRao) internal returns (uint16) {
        vm.deal(who, who.balance + _wei(sendRao));
        vm.prank(who);
        return registry.registerNetwork{value: _wei(sendRao)}(hotkey, "name", maxLockRao);
    }

    /* REGISTRATION */

    function test_registerNetwork_firstSubnet() public {
        uint16 netuid = _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        assertEq(netuid, 1, "lowest free netuid");
        ISubnetRegistry.Subnet memory s = registry.subnet(netuid);
        assertEq(s.owner, owner1, "owner");
        assertEq(s.ownerColdkey, ck(owner1), "owner coldkey");
        assertEq(s.ownerHotkey, OWNER1_HOTKEY, "owner hotkey");
        assertEq(s.lockedRao, MIN_LOCK_RAO, "first lock: the minimum");
        assertEq(s.registeredAt, _blockNow(), "registered now");
        assertEq(s.generation, 1, "first generation");
        assertEq(keccak256(bytes(s.name)), keccak256("name"), "name");
        (bytes32 ownerHotkey, bytes32 ownerColdkey) = registry.ownerKeys(netuid);
        assertEq(ownerHotkey, OWNER1_HOTKEY, "owner keys: hotkey");
        assertEq(ownerColdkey, ck(owner1), "owner keys: coldkey");
        assertEq(registry.lastLockRao(), MIN_LOCK_RAO, "last lock");
        assertEq(registry.lastLockBlock(), _blockNow(), "last lock block");
        assertEq(registry.subnetCount(), 1, "count");
        assertTrue(registry.isActive(netuid), "active");
        // the pool holds the lock, at the starting price 1 (no other subnet)
        (IAlphaPoolsTypes.Pool memory pool, , IAlphaPoolsTypes.Books memory books) = pools.storedSubnet(netuid);
        assertEq(pool.taoRao, MIN_LOCK_RAO, "pool TAO = lock");
        assertEq(pool.alphaRao, MIN_LOCK_RAO, "pool alpha = lock / 1");
        assertEq(books.alphaIssuanceRao, MIN_LOCK_RAO, "alpha issuance");
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        assertEq(config.feeRateOf65535, FEE_RATE, "fee pushed");
        assertEq(config.minStakeRao, MIN_STAKE_RAO, "min stake pushed");
        assertEq(config.tempo, 20, "tempo pushed");
        assertTrue(config.transfersEnabled && config.active, "transfers on, active");
        assertEq(config.firstEmissionBlock, 0, "no emission before the start call");
        // the owner's hotkey is uid 0, with a permit
        assertEq(metagraph.neuronCount(netuid), 1, "one neuron");
        assertEq(metagraph.hotkeyOf(netuid, 0), OWNER1_HOTKEY, "uid 0");
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "owner permit");
        assertEq(metagraph.ownerOf(OWNER1_HOTKEY), ck(owner1), "hotkey owned by the registrant");
    }

    function test_registerNetwork_refundsTheExcess() public {
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO + 5 * TAO, MIN_LOCK_RAO);
        assertEq(owner1.balance, _wei(5 * TAO), "excess back");
        assertEq(address(registry).balance, 0, "the registry keeps nothing");
    }

    function test_RevertWhen_registerNetwork_refundRejected() public {
        Actor actor = new Actor();
        actor.setRefuseTao(true);
        bytes32 hotkey = pools.coldkeyOf(address(actor)); // its own account id
        vm.deal(address(actor), _wei(MIN_LOCK_RAO + TAO));
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.TaoTransferFailed.selector, address(actor), _wei(TAO)));
        actor.act(
            address(registry),
            _wei(MIN_LOCK_RAO + TAO),
            abi.encodeCall(registry.registerNetwork, (hotkey, "name", MIN_LOCK_RAO))
        );
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
        // 32 bytes is the longest name
        uint16 netuid = registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(
            OWNER1_HOTKEY,
            "12345678901234567890123456789012",
            MIN_LOCK_RAO
        );
        vm.stopPrank();
        assertEq(bytes(registry.subnet(netuid).name).length, 32, "32 bytes accepted");
    }

    function test_RevertWhen_registerNetwork_rateLimited() public {
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        uint256 next = _blockNow() + NETWORK_RATE_LIMIT;
        vm.roll(next - 1);
        vm.deal(owner2, _wei(1000 * TAO));
        vm.prank(owner2);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NetworkRateLimited.selector, next));
        registry.registerNetwork{value: _wei(1000 * TAO)}(OWNER2_HOTKEY, "two", 1000 * TAO);
        // from the limit on it works
        vm.roll(next);
        vm.prank(owner2);
        registry.registerNetwork{value: _wei(1000 * TAO)}(OWNER2_HOTKEY, "two", 1000 * TAO);
        assertEq(registry.subnetCount(), 2, "registered at the limit");
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

    /// @dev A pause stops new subnets (and so new stake); exits stay open (the pools' suite shows that).
    function test_RevertWhen_registerNetwork_paused() public {
        vm.prank(pauser);
        pools.pause();
        vm.deal(owner1, _wei(MIN_LOCK_RAO));
        vm.prank(owner1);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(OWNER1_HOTKEY, "one", MIN_LOCK_RAO);
    }

    /// @dev The owner hotkey must prove control, as any hotkey: a registrant cannot take another's hotkey as its
    /// subnet's uid 0.
    function test_RevertWhen_registerNetwork_hotkeyNotControlled() public {
        bytes32 victim = ck(validator1); // validator1 never approved bob
        vm.deal(bob, _wei(MIN_LOCK_RAO));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, victim, ck(bob)));
        registry.registerNetwork{value: _wei(MIN_LOCK_RAO)}(victim, "squat", MIN_LOCK_RAO);
        assertEq(registry.subnetCount(), 0, "nothing registered");
    }

    /* LOCK COST */

    function test_lockCost_doublesThenDecaysLinearly() public {
        assertEq(registry.lockCost(), MIN_LOCK_RAO, "first: the minimum");
        _register(owner1, OWNER1_HOTKEY, MIN_LOCK_RAO, MIN_LOCK_RAO);
        uint256 start = _blockNow();
        uint256 perBlock = MIN_LOCK_RAO / LOCK_REDUCTION_INTERVAL;
        assertEq(registry.lockCost(), 2 * MIN_LOCK_RAO, "doubled at once");
        vm.roll(start + 10);
        assertEq(registry.lockCost(), 2 * MIN_LOCK_RAO - perBlock * 10, "linear decay");
        // the second registration locks the decayed cost
        vm.roll(start + LOCK_REDUCTION_INTERVAL / 2);
        uint256 cost = registry.lockCost();
        assertEq(cost, (3 * MIN_LOCK_RAO) / 2, "half an interval: 1.5 x the last lock");
        _register(owner2, OWNER2_HOTKEY, cost, cost);
        assertEq(registry.subnet(2).lockedRao, cost, "locked what it cost");
        uint256 second = _blockNow();
        // and the next doubles that, decaying by ⌊cost / interval⌋ per block
        assertEq(registry.lockCost(), 2 * cost, "doubled again");
        vm.roll(second + LOCK_REDUCTION_INTERVAL);
        assertEq(registry.lockCost(), cost, "one interval: back to the last lock");
        vm.roll(second + LOCK_REDUCTION_INTERVAL + 1);
        assertEq(registry.lockCost(), cost - cost / LOCK_REDUCTION_INTERVAL, "still decaying");
        vm.roll(second + 2 * LOCK_REDUCTION_INTERVAL);
        assertEq(registry.lockCost(), MIN_LOCK_RAO, "floored at the minimum");
    }

    /// @dev subtensor divides first: ⌊last / interval⌋ per block. With an interval of 999 blocks, ⌊100e9 / 999⌋ =
    /// 100_100_100 and 999 blocks take 99_999_999_900 off, not 100e9.
    function test_lockCost_divisionFirst() public {
        EconomyParams memory p = _defaultEconomyParams();
        p.lockReductionInterval = 999;
        Economy memory e = _deployEconomy(p);
        _registerOn(e, owner1);
        uint256 start = _blockNow();
        vm.roll(start + 999);
        assertEq(e.registry.lockCost(), 2 * MIN_LOCK_RAO - 100_100_100 * 999, "division first");
        assertEq(e.registry.lockCost(), 100_000_000_100, "100 rao above the minimum");
    }

    /// @dev The reduction interval scales with the block emission: it halves at each TAO halving, so the lock cost
    /// decays twice as fast past 10.5M TAO of issuance.
    function test_lockCost_intervalHalvesWithTheTaoHalving() public {
        uint256 firstHalving = EmissionMath.TOTAL_SUPPLY / 2;
        uint256[3] memory issuances = [firstHalving - 1, firstHalving, EmissionMath.nextHalvingIssuance(1)];
        uint256[3] memory intervals = [uint256(1_000), 500, 250];
        for (uint256 i; i < 3; ++i) {
            EconomyParams memory p = _defaultEconomyParams();
            p.initialIssuanceRao = issuances[i];
            Economy memory e = _deployEconomy(p);
            _registerOn(e, owner1);
            uint256 start = _blockNow();
            vm.roll(start + intervals[i] / 2);
            assertEq(e.registry.lockCost(), (3 * MIN_LOCK_RAO) / 2, "half the effective interval: 1.5 x min");
            vm.roll(start + intervals[i]);
            assertEq(e.registry.lockCost(), MIN_LOCK_RAO, "one effective interval: back to the last lock");
        }
    }

    /// @dev Funding the emission reserve is not issuance: the lock cost's interval does not move with it.
    function test_lockCost_reserveFundingIsNotIssuance() public {
        EconomyParams memory p = _defaultEconomyParams();
        p.initialIssuanceRao = EmissionMath.TOTAL_SUPPLY / 2 - 1;
        Economy memory e = _deployEconomy(p);
        e.pools.fundEmissionReserve{value: _wei(500_000 * TAO)}();
        _registerOn(e, owner1);
        vm.roll(_blockNow() + 500);
        assertEq(e.registry.lockCost(), (3 * MIN_LOCK_RAO) / 2, "still the full interval");
    }

    /* SUBNET LIMIT AND PRUNING */

    function test_RevertWhen_registerNetwork_limitReachedAndAllImmune() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        _registerSubnet(owner3, OWNER3_HOTKEY);
        vm.roll(registry.lastLockBlock() + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        bytes32 hotkey = ck(carol);
        vm.deal(carol, _wei(cost));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.SubnetLimitReached.selector, SUBNET_LIMIT));
        registry.registerNetwork{value: _wei(cost)}(hotkey, "four", cost);
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, 0, "no candidate while all are immune");
    }

    /// @dev A subnet is immune for `networkImmunityPeriod` blocks from its registration; at the end block it is not.
    function test_pruneCandidate_immunityEndsExactly() public {
        uint16 a = _registerSubnet(owner1, OWNER1_HOTKEY);
        uint256 registeredAt = _blockNow();
        vm.roll(registeredAt + NETWORK_IMMUNITY - 1);
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, 0, "immune one block before the end");
        vm.roll(registeredAt + NETWORK_IMMUNITY);
        (candidate, ) = registry.pruneCandidate();
        assertEq(candidate, a, "prunable at the end block");
    }

    function test_pruneCandidate_tieGoesToTheEarliestRegistration() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        _advance(NETWORK_IMMUNITY + 1);
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, 1, "earliest of two equal (zero) prices");
        assertEq(price, 0, "never started: moving price 0");
    }

    /// @dev The three subnets start emitting 20 blocks apart: the older a subnet, the higher its moving price (it
    /// rises from 0 towards min(spot, 1)). Returns them oldest first.
    function _threeAgedSubnets() internal returns (uint16 a, uint16 b, uint16 c) {
        a = _registerSubnet(owner1, OWNER1_HOTKEY);
        b = _registerSubnet(owner2, OWNER2_HOTKEY);
        c = _registerSubnet(owner3, OWNER3_HOTKEY);
        vm.prank(owner1);
        registry.startCall(a);
        _advance(20);
        vm.prank(owner2);
        registry.startCall(b);
        _advance(20);
        vm.prank(owner3);
        registry.startCall(c);
        vm.roll(registry.subnet(c).registeredAt + NETWORK_IMMUNITY + 1);
    }

    /// @dev Registration at the limit prunes the lowest moving price as of this block and reuses its netuid.
    function test_registerNetwork_prunesTheLowestMovingPrice() public {
        (uint16 a, uint16 b, uint16 c) = _threeAgedSubnets();
        pools.poke(a);
        pools.poke(b);
        pools.poke(c);
        assertLt(_storedMovingPriceWad(c), _storedMovingPriceWad(b), "c below b");
        assertLt(_storedMovingPriceWad(b), _storedMovingPriceWad(a), "b below a");
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, c, "the youngest emitter");
        assertEq(price, _storedMovingPriceWad(c), "its moving price");

        uint16 netuid = _registerSubnet(carol, _hotkey(address(0xCA2F), carol));
        assertEq(netuid, c, "netuid reused");
        assertEq(registry.subnet(c).generation, 2, "a new generation");
        assertEq(registry.subnet(c).owner, carol, "new owner");
        assertEq(registry.subnetCount(), SUBNET_LIMIT, "still at the limit");
        assertTrue(registry.isActive(a) && registry.isActive(b), "the others stay");
    }

    /// @dev The attack pruning on stored prices allowed: a registrant pokes the subnets it wants to keep and leaves
    /// the strongest one un-poked since its start, with its stored moving price still near 0. Pruning compares the
    /// prices as of this block, so the un-poked subnet is not protected and not sacrificed either: the weakest goes.
    function test_registerNetwork_anUnpokedSubnetIsNotPrunedForItsStalePrice() public {
        (uint16 a, uint16 b, uint16 c) = _threeAgedSubnets();
        // a, the strongest, has not been touched since its start call
        pools.poke(b);
        pools.poke(c);
        assertLt(_storedMovingPriceWad(a), _storedMovingPriceWad(c), "a's stored price is the lowest (stale)");
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, c, "as of now, c is the weakest");
        // the candidate's price is the price a catch-up now would store
        pools.poke(a);
        assertEq(price, _storedMovingPriceWad(c), "c's price as of now");
        assertGt(_storedMovingPriceWad(a), _storedMovingPriceWad(b), "a is in fact the strongest");
        uint16 netuid = _registerSubnet(carol, _hotkey(address(0xCA2F), carol));
        assertEq(netuid, c, "c pruned");
        assertTrue(registry.isActive(a), "the stale subnet stays");
    }

    /// @dev The other side of the same attack: a weak subnet is not protected by being left un-poked. w was the
    /// strongest, then its price crashed (its stakers sold, and its emission stopped); its stored moving price is
    /// still the high one from before, but as of this block it has decayed below the two younger subnets', and w is
    /// the one pruned.
    function test_registerNetwork_anUnpokedWeakSubnetIsNotProtectedByItsStalePrice() public {
        uint16 w = _emittingSubnet(owner1, OWNER1_HOTKEY);
        uint16 a = _registerSubnet(owner2, OWNER2_HOTKEY);
        uint16 b = _registerSubnet(owner3, OWNER3_HOTKEY);
        _advance(80);
        // w's pending emission goes to alice, who sells it all: w's spot falls below 1
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePending(w);
        uint256 total = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        bytes32 aliceColdkey = ck(alice);
        vm.startPrank(settler);
        pools.creditStake(w, generation, OWNER1_HOTKEY, aliceColdkey, total);
        pools.setMinerBurn(w, 65_535); // and w's TAO emission stops
        vm.stopPrank();
        _unstake(alice, OWNER1_HOTKEY, w, pools.getStake(OWNER1_HOTKEY, aliceColdkey, w));
        assertLt(_storedSpotPriceWad(w), WAD / 2, "w's spot crashed");
        uint256 staleW = _storedMovingPriceWad(w);
        vm.prank(owner2);
        registry.startCall(a);
        vm.prank(owner3);
        registry.startCall(b);
        // the registrant keeps a and b caught up block by block; their weights then take the emission, not w's
        for (uint256 i; i < 60; ++i) {
            _advance(1);
            pools.poke(a);
            pools.poke(b);
        }
        assertGt(staleW, _storedMovingPriceWad(a), "stored, w looks stronger than a");
        assertGt(staleW, _storedMovingPriceWad(b), "and than b");
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, w, "as of now w is the weakest");
        assertLt(price, _storedMovingPriceWad(a), "below a");
        assertLt(price, _storedMovingPriceWad(b), "below b");
        assertEq(_registerSubnet(carol, _hotkey(address(0xCA2F), carol)), w, "w pruned");
    }

    /// @dev Same attack, no poke at all: pruneCandidate never needs the subnets caught up.
    function test_pruneCandidate_sameWithoutAnyPoke() public {
        (uint16 a, , uint16 c) = _threeAgedSubnets();
        (uint16 candidate, uint256 price) = registry.pruneCandidate();
        assertEq(candidate, c, "the youngest emitter");
        pools.poke(c);
        assertEq(price, _storedMovingPriceWad(c), "as of now");
        assertTrue(registry.isActive(a), "a untouched");
    }

    /* STARTING PRICE */

    /// @dev A new subnet starts at the median spot price of the others, as stored: with one subnet its price, with
    /// two the mean of both.
    function test_registerNetwork_startsAtTheMedianPrice() public {
        uint16 a = _emittingSubnet(owner1, OWNER1_HOTKEY);
        _stake(alice, OWNER1_HOTKEY, a, 42 * TAO);
        uint256 priceA = _storedSpotPriceWad(a);
        assertGt(priceA, WAD, "a above 1");
        uint16 b = _registerSubnet(owner2, OWNER2_HOTKEY);
        (IAlphaPoolsTypes.Pool memory pool, , ) = pools.storedSubnet(b);
        uint256 lock = registry.subnet(b).lockedRao;
        assertEq(pool.alphaRao, (lock * WAD) / priceA, "alpha = lock / a's price");
        uint256 priceB = _storedSpotPriceWad(b);
        uint16 c = _registerSubnet(owner3, OWNER3_HOTKEY);
        (pool, , ) = pools.storedSubnet(c);
        lock = registry.subnet(c).lockedRao;
        assertEq(pool.alphaRao, (lock * WAD) / ((priceA + priceB) / 2), "two subnets: the mean");
    }

    function test_registerNetwork_medianOfThree() public {
        EconomyParams memory p = _defaultEconomyParams();
        p.subnetLimit = 5;
        Economy memory e = _deployEconomy(p);
        address[3] memory owners = [owner1, owner2, owner3];
        uint256[3] memory stakes = [uint256(5 * TAO), 80 * TAO, 30 * TAO];
        uint256[3] memory prices;
        for (uint256 i; i < 3; ++i) {
            uint16 netuid = _registerOn(e, owners[i]);
            vm.prank(owners[i]);
            e.registry.startCall(netuid);
            _advance(1);
            bytes32 hotkey = ck(owners[i]);
            vm.deal(alice, _wei(stakes[i]));
            vm.prank(alice);
            e.pools.addStake{value: _wei(stakes[i])}(hotkey, netuid, 0, NO_DEADLINE);
        }
        for (uint256 i; i < 3; ++i) {
            (IAlphaPoolsTypes.Pool memory pool, , ) = e.pools.storedSubnet(uint16(i + 1));
            prices[i] = (uint256(pool.taoRao) * WAD) / pool.alphaRao;
        }
        // sort the three stored prices by hand
        if (prices[0] > prices[1]) (prices[0], prices[1]) = (prices[1], prices[0]);
        if (prices[1] > prices[2]) (prices[1], prices[2]) = (prices[2], prices[1]);
        if (prices[0] > prices[1]) (prices[0], prices[1]) = (prices[1], prices[0]);
        assertTrue(prices[0] < prices[1] && prices[1] < prices[2], "three distinct prices");
        uint16 d = _registerOn(e, carol);
        (IAlphaPoolsTypes.Pool memory created, , ) = e.pools.storedSubnet(d);
        assertEq(created.alphaRao, (uint256(e.registry.subnet(d).lockedRao) * WAD) / prices[1], "the middle price");
    }

    /* HYPERPARAMETERS */

    function test_setHyperparameters_storesAndPushesToThePools() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.tempo = 99;
        hp.maxUids = 16;
        hp.transfersEnabled = false;
        hp.commitReveal = true;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        ISubnetRegistry.Hyperparameters memory stored = registry.hyperparameters(netuid);
        assertEq(keccak256(abi.encode(stored)), keccak256(abi.encode(hp)), "stored as given");
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        assertEq(config.tempo, 99, "tempo pushed");
        assertTrue(!config.transfersEnabled, "transfer toggle pushed");
        assertEq(config.feeRateOf65535, FEE_RATE, "fee kept");
        assertEq(config.minStakeRao, MIN_STAKE_RAO, "min stake kept");
        assertEq(
            keccak256(abi.encode(registry.defaultHyperparameters())),
            keccak256(abi.encode(_defaultHyperparameters())),
            "defaults unchanged"
        );
    }

    function test_RevertWhen_setHyperparameters_notOwnerOrUnknown() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NotSubnetOwner.selector, netuid, bob));
        registry.setHyperparameters(netuid, hp);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(9)));
        registry.setHyperparameters(9, hp);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(0)));
        registry.setHyperparameters(0, hp);
    }

    /// @dev Every bound, each with its own name and the offending value; and each bound's edge is accepted.
    function test_RevertWhen_setHyperparameters_outOfBounds() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.startPrank(owner1);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.tempo = MIN_TEMPO - 1;
        _expectInvalid("tempo", hp.tempo);
        registry.setHyperparameters(netuid, hp);
        hp.tempo = 50_401;
        _expectInvalid("tempo", hp.tempo);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.maxUids = 0;
        _expectInvalid("maxUids", 0);
        registry.setHyperparameters(netuid, hp);
        hp.maxUids = 4097;
        _expectInvalid("maxUids", 4097);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.maxValidators = 0;
        _expectInvalid("maxValidators", 0);
        registry.setHyperparameters(netuid, hp);
        hp.maxValidators = hp.maxUids + 1;
        _expectInvalid("maxValidators", hp.maxValidators);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.bondsMovingAveragePpm = 975_001;
        _expectInvalid("bondsMovingAveragePpm", 975_001);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.alphaLowOf65535 = hp.alphaHighOf65535 + 1;
        _expectInvalid("alphaLowOf65535", hp.alphaLowOf65535);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.activityCutoff = 0;
        _expectInvalid("activityCutoff", 0);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.minBurnRao = 0;
        _expectInvalid("minBurnRao", 0);
        registry.setHyperparameters(netuid, hp);
        hp.minBurnRao = hp.maxBurnRao + 1;
        _expectInvalid("minBurnRao", hp.minBurnRao);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.burnHalfLife = 0;
        _expectInvalid("burnHalfLife", 0);
        registry.setHyperparameters(netuid, hp);
        hp.burnHalfLife = 36_101;
        _expectInvalid("burnHalfLife", 36_101);
        registry.setHyperparameters(netuid, hp);

        hp = _defaultHyperparameters();
        hp.burnIncreaseMultWad = 1e18 - 1;
        _expectInvalid("burnIncreaseMultWad", 1e18 - 1);
        registry.setHyperparameters(netuid, hp);
        hp.burnIncreaseMultWad = 3e18 + 1;
        _expectInvalid("burnIncreaseMultWad", 3e18 + 1);
        registry.setHyperparameters(netuid, hp);

        // every edge is allowed
        hp = _defaultHyperparameters();
        hp.tempo = MIN_TEMPO;
        hp.maxUids = 4096;
        hp.maxValidators = 4096;
        hp.bondsMovingAveragePpm = 975_000;
        hp.alphaLowOf65535 = hp.alphaHighOf65535;
        hp.activityCutoff = 1;
        hp.minBurnRao = hp.maxBurnRao;
        hp.burnHalfLife = 36_100;
        hp.burnIncreaseMultWad = 3e18;
        registry.setHyperparameters(netuid, hp);
        hp.tempo = 50_400;
        hp.maxValidators = 1;
        hp.minBurnRao = 1;
        hp.burnHalfLife = 1;
        hp.burnIncreaseMultWad = 1e18;
        registry.setHyperparameters(netuid, hp);
        vm.stopPrank();
        assertEq(registry.hyperparameters(netuid).tempo, 50_400, "edges stored");
    }

    function test_RevertWhen_constructor_invalidParameters() public {
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        ISubnetRegistry.PoolSettings memory settings = ISubnetRegistry.PoolSettings(FEE_RATE, MIN_STAKE_RAO);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "subnetLimit", 0));
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 1000, 10, 50, 0, hp, settings);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "subnetLimit", 256));
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 1000, 10, 50, 256, hp, settings);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "lockReductionInterval", 0)
        );
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 0, 10, 50, 3, hp, settings);
        hp.tempo = MIN_TEMPO - 1;
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidHyperparameter.selector, "tempo", MIN_TEMPO - 1));
        new SubnetRegistry(admin, pools, MIN_TEMPO, MIN_LOCK_RAO, 1000, 10, 50, 3, hp, settings);
        // the largest limit is 255 netuids
        hp.tempo = MIN_TEMPO;
        SubnetRegistry wide = new SubnetRegistry(
            admin,
            pools,
            MIN_TEMPO,
            MIN_LOCK_RAO,
            1000,
            10,
            50,
            255,
            hp,
            settings
        );
        assertEq(wide.subnetLimit(), 255, "255 accepted");
    }

    /* POOL SETTINGS (admin) */

    function test_setPoolSettings_adminOnlyAndPushed() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(100, 5_000_000));
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        assertEq(config.feeRateOf65535, 100, "fee pushed");
        assertEq(config.minStakeRao, 5_000_000, "min stake pushed");
        assertEq(config.tempo, 20, "tempo kept");
        assertTrue(config.transfersEnabled, "toggle kept");
        assertEq(registry.poolSettings(netuid).feeRateOf65535, 100, "stored");

        bytes32 role = registry.DEFAULT_ADMIN_ROLE();
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner1, role));
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(100, 5));
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(9)));
        registry.setPoolSettings(9, ISubnetRegistry.PoolSettings(100, 5));
        // the pools' own bound on the fee comes back through the registry
        vm.prank(admin);
        vm.expectRevert(
            abi.encodeWithSelector(IAlphaPoolsTypes.FeeRateTooHigh.selector, uint16(10_001), uint16(10_000))
        );
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(10_001, 5));
    }

    /// @dev An owner's hyperparameters never touch the admin's pool settings, and the other way round.
    function test_settings_ownerAndAdminKeepTheirOwn() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(500, 7_000_000));
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.tempo = 40;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(netuid);
        assertEq(config.feeRateOf65535, 500, "admin fee survives the owner's change");
        assertEq(config.minStakeRao, 7_000_000, "admin min stake survives");
        vm.prank(admin);
        registry.setPoolSettings(netuid, ISubnetRegistry.PoolSettings(33, 2_000_000));
        assertEq(pools.subnetConfig(netuid).tempo, 40, "owner tempo survives the admin's change");
    }

    /* START CALL */

    function test_startCall_ownerStartsEmissionOnce() public {
        uint16 netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NotSubnetOwner.selector, netuid, bob));
        registry.startCall(netuid);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.UnknownSubnet.selector, uint16(5)));
        registry.startCall(5);
        vm.prank(owner1);
        registry.startCall(netuid);
        uint256 first = _blockNow() + 1;
        assertEq(pools.subnetConfig(netuid).firstEmissionBlock, first, "emission from the next block");
        _advance(5);
        vm.prank(owner1);
        registry.startCall(netuid);
        assertEq(pools.subnetConfig(netuid).firstEmissionBlock, first, "a second call changes nothing");
    }

    /* WIRING AND VIEWS */

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

    /// @dev Only the pools send TAO to the registry (a pruned subnet's refund pot).
    function test_RevertWhen_receive_notFromThePools() public {
        vm.deal(alice, 1e18);
        vm.prank(alice);
        (bool ok, bytes memory reason) = address(registry).call{value: 1e18}("");
        assertTrue(!ok, "refused");
        assertEq(
            keccak256(reason),
            keccak256(abi.encodeWithSelector(ISubnetRegistry.TaoTransferFailed.selector, address(registry), 1e18)),
            "TaoTransferFailed"
        );
    }

    function test_views() public {
        _registerSubnet(owner1, OWNER1_HOTKEY);
        _registerSubnet(owner2, OWNER2_HOTKEY);
        uint16[] memory netuids = registry.activeNetuids();
        assertEq(netuids.length, 2, "two");
        assertEq(netuids[0], 1, "first");
        assertEq(netuids[1], 2, "second");
        assertEq(registry.ownerHotkey(2), OWNER2_HOTKEY, "owner hotkey");
        assertEq(registry.subnetOwner(2), owner2, "owner");
        assertTrue(!registry.isActive(0), "root is not a registered subnet");
        assertTrue(!registry.isActive(3), "unused");
        assertTrue(!registry.isActive(300), "beyond 255");
        assertEq(registry.defaultHyperparameters().tempo, 20, "defaults");
        assertEq(registry.MIN_TEMPO(), MIN_TEMPO, "min tempo");
    }
}
