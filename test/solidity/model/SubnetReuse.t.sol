// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {Actor, RegistryTestBase} from "./RegistryTestBase.sol";

/// @notice A pruned netuid registered again: nothing of the previous subnet survives on it (every per-netuid setting
/// and state, listed in one test), and the previous subnet's stakers claim their refunds.
contract SubnetReuseTest is RegistryTestBase {
    uint16 internal a;
    uint16 internal b;
    uint16 internal x; // the subnet that will be pruned

    /// @dev a and b start emitting long before x, so x has the lowest moving price once all are past immunity.
    function setUp() public override {
        super.setUp();
        a = _emittingSubnet(owner1, OWNER1_HOTKEY);
        b = _emittingSubnet(owner2, OWNER2_HOTKEY);
        x = _registerSubnet(owner3, OWNER3_HOTKEY);
        _advance(20);
        vm.prank(owner3);
        registry.startCall(x);
        _advance(1);
    }

    /// @dev Rolls past x's immunity and registers a fourth subnet, which prunes x and takes its netuid.
    function _pruneX() internal returns (uint16 netuid) {
        uint256 pastImmunity = registry.subnet(x).registeredAt + NETWORK_IMMUNITY + 1;
        if (_blockNow() < pastImmunity) vm.roll(pastImmunity);
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, x, "x is the one to prune");
        netuid = _registerSubnet(carol, _hotkey(address(0xCA2F), carol));
        assertEq(netuid, x, "x's netuid reused");
    }

    /// @dev `registeredAt` is what the staking precompile's `getNetworkRegistrationBlock` answers with.
    function test_registeredAt_namesTheSubnetInstanceOnANetuid() public {
        uint32 first = registry.subnet(x).registeredAt;
        assertGt(first, 0, "x was registered at a block");
        assertEq(registry.registeredAt(x), first, "x's registration block");
        assertEq(registry.registeredAt(0), 0, "root is no registered subnet");
        assertEq(registry.registeredAt(250), 0, "an unused netuid");
        assertEq(registry.registeredAt(type(uint16).max), 0, "beyond the netuids");
        uint16 reused = _pruneX();
        assertEq(registry.registeredAt(reused), _blockNow(), "the new subnet's block, now");
        assertTrue(registry.registeredAt(reused) != first, "another instance");
    }

    function _nonDefaultHyperparameters() internal pure returns (ISubnetRegistry.Hyperparameters memory) {
        return
            ISubnetRegistry.Hyperparameters({
                tempo: 30,
                maxUids: 16,
                maxValidators: 8,
                kappaOf65535: 30_000,
                bondsMovingAveragePpm: 800_000,
                bondsPenaltyOf65535: 1_000,
                yuma3: false,
                liquidAlpha: true,
                alphaLowOf65535: 40_000,
                alphaHighOf65535: 60_000,
                alphaSigmoidSteepness: -5,
                activityCutoff: 100,
                immunityPeriod: 7,
                weightsRateLimit: 1,
                weightsVersionKey: 3,
                commitReveal: false,
                transfersEnabled: false,
                minBurnRao: 2_000_000,
                maxBurnRao: 50e9,
                burnHalfLife: 100,
                burnIncreaseMultWad: 2e18
            });
    }

    /// @dev Every per-netuid setting and every per-netuid state of x's first generation is changed, x is pruned and
    /// its netuid registered again: each one is back to its default, in the registry, the pools, the metagraph and
    /// root dividends. Takes belong to hotkeys, not netuids, and stay.
    function test_reRegistration_resetsEveryPerNetuidSetting() public {
        // --- generation 1: change everything
        ISubnetRegistry.Hyperparameters memory hp = _nonDefaultHyperparameters();
        vm.prank(owner3);
        registry.setHyperparameters(x, hp); // hyperparameters, transfer toggle
        vm.prank(admin);
        registry.setPoolSettings(x, ISubnetRegistry.PoolSettings(500, 7_000_000)); // fee, minimum stake
        uint16 v = _neuron(x, validator1); // a neuron; the burn is bumped ×2
        bytes32 validatorHotkey = ck(validator1);
        _permit(x, _u16(v)); // permits
        uint32 gen1 = metagraph.generationOf(x);
        vm.prank(settler);
        metagraph.recordPayout(x, gen1, v, validatorHotkey, 77); // per-uid emission
        vm.prank(validator1);
        metagraph.setWeights(x, _u16(0, v), _u16(1, 2), 3); // weights commitment
        vm.prank(alice);
        pools.approve(bob, x, 5 * TAO); // allowance
        _stake(alice, OWNER3_HOTKEY, x, 20 * TAO); // a position
        _stake(carol, validatorHotkey, 0, 10 * TAO); // root stake behind the validator
        vm.prank(owner3);
        metagraph.decreaseTake(OWNER3_HOTKEY, 1_000); // a take (per hotkey)
        _advance(30);
        _closePending(x); // settlement debt
        vm.startPrank(settler);
        pools.setMinerBurn(x, 1_000); // miner burn
        pools.creditDividend(x, gen1, OWNER3_HOTKEY, ck(owner3), 1e9); // a vesting dividend
        bool credited = rootDividends.creditRootDividend(x, gen1, validatorHotkey, 1e9); // root dividends
        vm.stopPrank();
        assertTrue(credited, "root dividend credited");
        hp.commitReveal = true;
        vm.prank(owner3);
        registry.setHyperparameters(x, hp); // commit-reveal on
        vm.prank(validator1);
        metagraph.commitWeights(x, keccak256("commit")); // a pending commit
        // sanity: all of it is in place before the pruning
        assertTrue(metagraph.hasValidatorPermit(x, v), "permit set");
        assertTrue(metagraph.weightsCommitment(x, v) != bytes32(0), "weights set");
        assertTrue(metagraph.pendingCommit(x, v).hash != bytes32(0), "commit pending");
        assertEq(pools.allowance(alice, bob, x), 5 * TAO, "allowance set");
        assertGt(rootDividends.rootClaimable(validatorHotkey, ck(carol), x), 0, "root dividends claimable");
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(x, gen1);
        assertGt(settlementOwed, 0, "settlement debt");
        assertGt(rootOwed, 0, "root debt");
        assertGt(pools.hotkeyPool(OWNER3_HOTKEY, x).unvestedAlphaRao, 0, "dividend vesting");
        assertGt(metagraph.burnCost(x), INITIAL_BURN_RAO, "burn raised");

        // --- prune x and register its netuid again
        _pruneX();
        uint256 lock = registry.lastLockRao();
        bytes32 newOwnerHotkey = pools.coldkeyOf(address(0xCA2F));

        // registry: owner, hyperparameters (with commit-reveal and the transfer toggle), pool settings
        ISubnetRegistry.Subnet memory s = registry.subnet(x);
        assertEq(s.owner, carol, "new owner");
        assertEq(s.ownerHotkey, newOwnerHotkey, "new owner hotkey");
        assertEq(s.generation, 2, "generation 2");
        assertEq(s.lockedRao, lock, "its own lock");
        assertEq(
            keccak256(abi.encode(registry.hyperparameters(x))),
            keccak256(abi.encode(_defaultHyperparameters())),
            "hyperparameters: the defaults"
        );
        ISubnetRegistry.PoolSettings memory settings = registry.poolSettings(x);
        assertEq(settings.feeRateOf65535, FEE_RATE, "pool fee: the default");
        assertEq(settings.minStakeRao, MIN_STAKE_RAO, "minimum stake: the default");

        // pools: settings, emission state, books, debts, allowances, ledger
        IAlphaPoolsTypes.SubnetConfig memory config = pools.subnetConfig(x);
        assertEq(config.generation, 2, "pools generation 2");
        assertEq(config.feeRateOf65535, FEE_RATE, "pools fee");
        assertEq(config.minStakeRao, MIN_STAKE_RAO, "pools minimum stake");
        assertEq(config.tempo, 20, "pools tempo");
        assertTrue(config.transfersEnabled, "transfer toggle back on");
        assertEq(config.minerBurnOf65535, 0, "miner burn");
        assertEq(config.firstEmissionBlock, 0, "not started: a new start call is needed");
        assertTrue(config.active, "active");
        (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books
        ) = pools.storedSubnet(x);
        assertEq(pool.taoRao, lock, "pool: the new lock only");
        assertEq(pool.volumeRao, 0, "no volume");
        assertEq(em.movingPriceWad, 0, "moving price from 0");
        assertEq(em.weight, 0, "no emission weight");
        assertEq(em.unownedAlphaRao, 0, "no unowned alpha");
        assertEq(em.indexSnapshot, 0, "no index snapshot");
        assertEq(
            books.pendingAlphaOutRao + books.pendingRootAlphaRao + books.pendingRecycledRootAlphaRao,
            0,
            "no pending"
        );
        assertEq(books.alphaIssuanceRao, pool.alphaRao, "issuance: the pool's alpha only");
        (settlementOwed, rootOwed) = pools.owedAlpha(x, 2);
        assertEq(settlementOwed + rootOwed, 0, "no debts");
        assertEq(pools.allowance(alice, bob, x), 0, "allowance void");
        assertEq(pools.getStake(OWNER3_HOTKEY, ck(alice), x), 0, "no position");
        IAlphaPoolsTypes.HotkeyPool memory hotkeyPool = pools.hotkeyPool(OWNER3_HOTKEY, x);
        assertEq(hotkeyPool.alphaRao + hotkeyPool.shares + hotkeyPool.unvestedAlphaRao, 0, "empty hotkey pool");

        // metagraph: neurons, permits, emissions, weights, pending commits, burn
        assertEq(metagraph.generationOf(x), 2, "metagraph generation 2");
        assertEq(metagraph.neuronCount(x), 1, "only the new owner's uid 0");
        assertEq(metagraph.hotkeyOf(x, 0), newOwnerHotkey, "uid 0");
        (bool registered, ) = metagraph.uidOf(x, validatorHotkey);
        assertTrue(!registered, "old neuron gone");
        assertEq(metagraph.hotkeyOf(x, v), bytes32(0), "old uid empty");
        assertTrue(metagraph.hasValidatorPermit(x, 0), "owner permit");
        assertTrue(!metagraph.hasValidatorPermit(x, v), "old permit gone");
        assertEq(metagraph.weightsCommitment(x, v), bytes32(0), "old weights gone");
        assertEq(metagraph.weightsCommitment(x, 0), bytes32(0), "owner has no weights");
        assertEq(metagraph.pendingCommit(x, v).hash, bytes32(0), "old commit gone");
        IMetagraph.NeuronView[] memory list = metagraph.neurons(x, 0, 16);
        assertEq(list.length, 1, "one neuron");
        assertEq(list[0].emissionAlphaRao, 0, "no emission");
        assertEq(metagraph.burnCost(x), INITIAL_BURN_RAO, "burn back to the initial burn");
        Metagraph.SubnetState memory state = metagraph.subnetState(x);
        assertEq(state.burnUpdatedAt, _blockNow(), "burn clock restarted");

        // root dividends: no rate on the new instance
        assertEq(rootDividends.rootClaimable(validatorHotkey, ck(carol), x), 0, "root dividends of x are gone");

        // takes are per hotkey: not reset; hotkey ownership stays too
        assertEq(metagraph.takeOf(OWNER3_HOTKEY), 1_000, "take kept");
        assertEq(metagraph.ownerOf(validatorHotkey), validatorHotkey, "hotkey still owned");

        // commit-reveal is off again: the new owner's uid 0 sets weights directly
        vm.prank(address(0xCA2F));
        metagraph.setWeights(x, _u16(0), _u16(1), 0);
        assertEq(metagraph.weightsCommitment(x, 0), keccak256(abi.encode(_u16(0), _u16(1))), "weights without commit");
        // and the old allowance cannot move anything
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.InsufficientAllowance.selector, alice, bob, x, 0));
        pools.transferStakeFrom(alice, bob, OWNER3_HOTKEY, x, x, 1e9, 0, NO_DEADLINE);
    }

    /* REFUNDS */

    /// @dev The pot is the pool's TAO times the staked share of the alpha issuance (the rest is recycled), and each
    /// staker claims pro rata to its alpha.
    function test_claimRefund_proRata() public {
        uint256 aliceAlpha = _stake(alice, OWNER3_HOTKEY, x, 10 * TAO);
        bytes32 validatorHotkey = _hotkey(validator1, bob);
        _registerNeuron(x, bob, validatorHotkey);
        uint256 bobAlpha = _stake(bob, validatorHotkey, x, 30 * TAO);
        vm.roll(registry.subnet(x).registeredAt + NETWORK_IMMUNITY + 1);
        // the pot as the dissolution computes it, from x caught up in this block
        pools.poke(x);
        (
            IAlphaPoolsTypes.Pool memory pool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books
        ) = pools.storedSubnet(x);
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(x, 1);
        uint256 staked =
            uint256(books.alphaIssuanceRao) +
                books.pendingRecycledRootAlphaRao -
                pool.alphaRao -
                em.unownedAlphaRao -
                books.pendingAlphaOutRao -
                settlementOwed -
                rootOwed;
        assertApproxAbs(staked, aliceAlpha + bobAlpha, 0, "staked alpha = the positions");
        uint256 pot = Math.mulDiv(pool.taoRao, staked, books.alphaIssuanceRao);

        _pruneX();
        ISubnetRegistry.Refund memory refund = registry.refundPot(x, 1);
        assertEq(refund.potRao, pot, "pot");
        assertEq(refund.stakedAlphaRao, staked, "staked alpha");
        assertEq(address(registry).balance, _wei(pot), "the registry holds the pot");

        uint256 aliceRefund = registry.refundOf(OWNER3_HOTKEY, ck(alice), x, 1);
        assertEq(aliceRefund, Math.mulDiv(aliceAlpha, pot, staked), "alice's share");
        uint256 balance = alice.balance;
        vm.prank(alice);
        uint256 paid = registry.claimRefund(OWNER3_HOTKEY, x, 1);
        assertEq(paid, aliceRefund, "paid what the view said");
        assertEq(alice.balance, balance + _wei(paid), "in TAO");
        assertEq(registry.refundOf(OWNER3_HOTKEY, ck(alice), x, 1), 0, "nothing left");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NothingToRefund.selector, x, uint32(1)));
        registry.claimRefund(OWNER3_HOTKEY, x, 1);

        vm.prank(bob);
        uint256 bobPaid = registry.claimRefund(validatorHotkey, x, 1);
        assertEq(bobPaid, Math.mulDiv(bobAlpha, pot, staked), "bob's share");
        assertEq(registry.refundPot(x, 1).paidRao, paid + bobPaid, "paid so far");
        assertLe(paid + bobPaid, pot, "never more than the pot");
        assertEq(address(registry).balance, _wei(pot - paid - bobPaid), "the rest is rounding dust");
    }

    function test_RevertWhen_claimRefund_noPotForThatInstance() public {
        _stake(alice, OWNER3_HOTKEY, x, 10 * TAO);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, x, uint32(1)));
        registry.claimRefund(OWNER3_HOTKEY, x, 1); // x is alive
        _pruneX();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, x, uint32(2)));
        registry.claimRefund(OWNER3_HOTKEY, x, 2); // the new subnet on the netuid
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, a, uint32(1)));
        registry.claimRefund(OWNER1_HOTKEY, a, 1); // never pruned
        assertEq(registry.refundOf(OWNER3_HOTKEY, ck(alice), x, 2), 0, "view: nothing");
        // a coldkey without a position in the pruned instance
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NothingToRefund.selector, x, uint32(1)));
        registry.claimRefund(OWNER3_HOTKEY, x, 1);
    }

    /// @dev A pause never blocks a refund.
    function test_claimRefund_worksWhilePaused() public {
        _stake(alice, OWNER3_HOTKEY, x, 10 * TAO);
        _pruneX();
        vm.prank(pauser);
        pools.pause();
        uint256 expected = registry.refundOf(OWNER3_HOTKEY, ck(alice), x, 1);
        assertGt(expected, 0, "something to refund");
        vm.prank(alice);
        assertEq(registry.claimRefund(OWNER3_HOTKEY, x, 1), expected, "paid while paused");
    }

    /// @dev A claimant that refuses TAO reverts its own claim; its position stays and can be claimed later.
    function test_claimRefund_refusedPaymentKeepsThePosition() public {
        Actor actor = new Actor();
        vm.deal(address(actor), _wei(10 * TAO));
        actor.act(
            address(pools),
            _wei(10 * TAO),
            abi.encodeCall(IAlphaPools.addStake, (OWNER3_HOTKEY, x, 0, NO_DEADLINE))
        );
        _pruneX();
        bytes32 coldkey = pools.coldkeyOf(address(actor));
        uint256 expected = registry.refundOf(OWNER3_HOTKEY, coldkey, x, 1);
        assertGt(expected, 0, "a refund is due");
        actor.setRefuseTao(true);
        vm.expectRevert(
            abi.encodeWithSelector(ISubnetRegistry.TaoTransferFailed.selector, address(actor), _wei(expected))
        );
        actor.act(address(registry), 0, abi.encodeCall(registry.claimRefund, (OWNER3_HOTKEY, x, 1)));
        assertEq(registry.refundOf(OWNER3_HOTKEY, coldkey, x, 1), expected, "still due");
        actor.setRefuseTao(false);
        actor.act(address(registry), 0, abi.encodeCall(registry.claimRefund, (OWNER3_HOTKEY, x, 1)));
        assertEq(address(actor).balance, _wei(expected), "paid once accepted");
    }

    /// @dev A subnet pruned with no staker refunds nothing: its whole pool is recycled into the emission reserve,
    /// which lowers the issuance.
    function test_prune_withoutStakersRecyclesThePool() public {
        (IAlphaPoolsTypes.Global memory g0, IAlphaPoolsTypes.Supply memory supply0, ) = pools.storedGlobal();
        _pruneX();
        ISubnetRegistry.Refund memory refund = registry.refundPot(x, 1);
        assertEq(refund.potRao + refund.stakedAlphaRao, 0, "no pot");
        (IAlphaPoolsTypes.Global memory g1, IAlphaPoolsTypes.Supply memory supply1, ) = pools.storedGlobal();
        assertGt(supply1.recycledRao, supply0.recycledRao, "pool TAO recycled");
        assertGt(
            uint256(g1.reserveRao) + (_blockNow() - g0.lastBlock) * 1e9,
            g0.reserveRao,
            "the reserve received it (net of the emission drawn meanwhile)"
        );
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.RefundNotAvailable.selector, x, uint32(1)));
        registry.claimRefund(OWNER3_HOTKEY, x, 1);
    }

    /// @dev Regression: a pruned pool's TAO (the registration lock, users' stakes, emission) is recycled into the
    /// emission reserve, lowering the issuance. The lock and the stakes were never counted as issued (here the model
    /// starts at an issuance of 0, as the local deployment does), so the recycled TAO exceeded the issuance, the reserve
    /// exceeded issuance + reserve, and every later catch-up underflowed: no stake, unstake or registration went
    /// through any more. The issuance now stops at zero.
    function test_prune_recyclingMoreThanTheIssuedTaoKeepsTheModelRunning() public {
        (, IAlphaPoolsTypes.Supply memory supply0, ) = pools.storedGlobal();
        assertEq(supply0.issuancePlusReserveRao, INITIAL_ISSUANCE_RAO + _reserveFundingRao(), "issuance + reserve");
        _pruneX();
        (IAlphaPoolsTypes.Global memory g, IAlphaPoolsTypes.Supply memory supply, ) = pools.storedGlobal();
        assertGt(supply.recycledRao, 0, "x's pool recycled");
        assertLe(g.reserveRao, supply.issuancePlusReserveRao, "the reserve never exceeds issuance + reserve");
        _advance(1);
        uint256 alpha = _stake(alice, OWNER1_HOTKEY, a, TAO);
        assertGt(alpha, 0, "staking still works");
        assertGt(_unstake(alice, OWNER1_HOTKEY, a, alpha), 0, "and unstaking");
        pools.poke(b);
        assertGe(registry.lockCost(), MIN_LOCK_RAO, "and the lock cost");
    }

    /// @dev Registration is paused with the pools, and so is a pruning (it happens inside a registration).
    function test_RevertWhen_pruningWhilePaused() public {
        vm.roll(registry.subnet(x).registeredAt + NETWORK_IMMUNITY + 1);
        vm.prank(pauser);
        pools.pause();
        uint256 cost = registry.lockCost();
        bytes32 hotkey = ck(carol);
        vm.deal(carol, _wei(cost));
        vm.prank(carol);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.registerNetwork{value: _wei(cost)}(hotkey, "late", cost);
        assertTrue(registry.isActive(x), "x untouched");
    }
}
