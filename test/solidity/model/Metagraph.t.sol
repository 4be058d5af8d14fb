// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {Actor, RegistryTestBase} from "./RegistryTestBase.sol";

/// @notice Metagraph: hotkey ownership with proof of control, validator takes, burn registration at subtensor's
/// decaying burn, replacement of the weakest neuron, weights and commit-reveal, the settlement's permits and
/// emissions, and the neurons view.
contract MetagraphTest is RegistryTestBase {
    /// @dev subtensor's decay factor for a half-life of 360 blocks (the chain's default), from the chain notes.
    uint256 internal constant CHAIN_FACTOR_360 = 4_286_705_684;

    uint16 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
    }

    function _register(address payer, bytes32 hotkey) internal returns (uint16 uid) {
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(payer, payer.balance + _wei(burn));
        vm.prank(payer);
        uid = metagraph.burnedRegister{value: _wei(burn)}(netuid, hotkey, burn);
    }

    /* HOTKEYS: OWNERSHIP AND PROOF OF CONTROL */

    function test_burnedRegister_ownAccountIdNeedsNoApproval() public {
        uint16 uid = _neuron(netuid, alice);
        assertEq(uid, 1, "uid 1");
        assertEq(metagraph.ownerOf(ck(alice)), ck(alice), "owned by itself");
        (bool registered, uint16 found) = metagraph.uidOf(netuid, ck(alice));
        assertTrue(registered && found == 1, "registered as uid 1");
        assertEq(metagraph.hotkeyOf(netuid, 1), ck(alice), "hotkey of uid 1");
    }

    function test_approveHotkeyOwner_letsThatColdkeyRegister() public {
        address hotkeyAccount = address(0x7A1F);
        bytes32 hotkey = pools.coldkeyOf(hotkeyAccount);
        bytes32 bobColdkey = ck(bob);
        vm.prank(hotkeyAccount);
        metagraph.approveHotkeyOwner(bobColdkey);
        assertEq(metagraph.approvedOwnerOf(hotkey), bobColdkey, "approval recorded");
        _register(bob, hotkey);
        assertEq(metagraph.ownerOf(hotkey), bobColdkey, "bob owns it");
        assertEq(metagraph.approvedOwnerOf(hotkey), bytes32(0), "approval used up");
        // bob needs no new approval for another subnet
        uint16 other = _registerSubnet(owner2, OWNER2_HOTKEY);
        uint256 burn = metagraph.burnCost(other);
        vm.deal(bob, _wei(burn));
        vm.prank(bob);
        metagraph.burnedRegister{value: _wei(burn)}(other, hotkey, burn);
        (bool registered, ) = metagraph.uidOf(other, hotkey);
        assertTrue(registered, "registered on the second subnet");
    }

    function test_RevertWhen_burnedRegister_hotkeyNotControlled() public {
        bytes32 hotkey = ck(validator1); // validator1 approved nobody
        bytes32 carolColdkey = ck(carol);
        vm.deal(carol, _wei(TAO));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, hotkey, carolColdkey));
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, hotkey, TAO);
        // approved for bob, still not carol's
        bytes32 bobColdkey = ck(bob);
        vm.prank(validator1);
        metagraph.approveHotkeyOwner(bobColdkey);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, hotkey, carolColdkey));
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, hotkey, TAO);
    }

    function test_RevertWhen_hotkeyOwnedByOther() public {
        bytes32 hotkey = _hotkey(validator1, bob);
        _register(bob, hotkey);
        uint16 other = _registerSubnet(owner2, OWNER2_HOTKEY);
        bytes32 bobColdkey = ck(bob);
        vm.deal(carol, _wei(TAO));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, hotkey, bobColdkey));
        metagraph.burnedRegister{value: _wei(TAO)}(other, hotkey, TAO);
        // the hotkey cannot hand itself to someone else once owned
        bytes32 carolColdkey = ck(carol);
        vm.prank(validator1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, hotkey, bobColdkey));
        metagraph.approveHotkeyOwner(carolColdkey);
    }

    /// @dev The squatting attack: an EVM operator's hotkey is its predictable mapped account id. Registering it first
    /// used to make the squatter its owner forever and take its incentive. Now registering needs the hotkey's own
    /// approval, so the squatter fails and the operator registers later without trouble.
    function test_squattingAnOperatorsHotkeyFails() public {
        bytes32 operatorHotkey = ck(validator2); // known to anyone from validator2's EVM address
        bytes32 squatter = ck(stranger);
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(stranger, _wei(10 * burn));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, squatter));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, operatorHotkey, burn);
        // an approval from the squatter's own account only concerns the squatter's own id
        vm.prank(stranger);
        metagraph.approveHotkeyOwner(squatter);
        assertEq(metagraph.approvedOwnerOf(operatorHotkey), bytes32(0), "the operator approved nobody");
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, squatter));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, operatorHotkey, burn);
        assertEq(metagraph.ownerOf(operatorHotkey), bytes32(0), "still unowned");
        // the operator registers its own hotkey whenever it likes
        uint16 uid = _neuron(netuid, validator2);
        assertEq(metagraph.ownerOf(operatorHotkey), operatorHotkey, "the operator owns it");
        assertEq(metagraph.hotkeyOf(netuid, uid), operatorHotkey, "and runs it");
    }

    function test_RevertWhen_openSubnet_notTheRegistry() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, bytes32(0))
        );
        metagraph.openSubnet(7, OWNER1_HOTKEY, ck(owner1));
    }

    /* TAKES */

    function test_takeOf_defaultForEveryHotkey() public view {
        assertEq(metagraph.takeOf(keccak256("anyone")), DEFAULT_TAKE, "the default take, registered or not");
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), DEFAULT_TAKE, "owner hotkey too");
        Metagraph.Delegate memory d = metagraph.delegate(OWNER1_HOTKEY);
        assertTrue(!d.set && d.lastChangeBlock == 0, "nothing stored");
    }

    function test_decreaseTake_toAnyLowerValue() public {
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 5_000);
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), 5_000, "lowered");
        Metagraph.Delegate memory d = metagraph.delegate(OWNER1_HOTKEY);
        assertTrue(d.set, "stored");
        assertEq(d.lastChangeBlock, _blockNow(), "change block recorded");
        // decreases are never rate limited, down to the minimum of 0
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 0);
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), 0, "zero take");
    }

    function test_RevertWhen_decreaseTake_notLower() public {
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeNotLower.selector, DEFAULT_TAKE, DEFAULT_TAKE));
        metagraph.decreaseTake(OWNER1_HOTKEY, DEFAULT_TAKE);
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 5_000);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeNotLower.selector, 5_000, 5_000));
        metagraph.decreaseTake(OWNER1_HOTKEY, 5_000);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeNotLower.selector, 6_000, 5_000));
        metagraph.decreaseTake(OWNER1_HOTKEY, 6_000);
    }

    /// @dev subtensor: an increase waits until more than the rate limit has passed since the last change (of either
    /// kind), must be strictly higher than a stored take, and at most the maximum.
    function test_increaseTake_rateLimitAndStrictness() public {
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 5_000);
        uint256 changed = _blockNow();
        vm.roll(changed + TAKE_RATE_LIMIT);
        vm.prank(owner1);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.TakeRateLimited.selector, OWNER1_HOTKEY, changed + TAKE_RATE_LIMIT + 1)
        );
        metagraph.increaseTake(OWNER1_HOTKEY, 6_000);
        vm.roll(changed + TAKE_RATE_LIMIT + 1);
        vm.prank(owner1);
        metagraph.increaseTake(OWNER1_HOTKEY, 6_000);
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), 6_000, "raised after the limit");
        uint256 raised = _blockNow();
        // the same take is not an increase
        vm.roll(raised + TAKE_RATE_LIMIT + 1);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeNotHigher.selector, 6_000, 6_000));
        metagraph.increaseTake(OWNER1_HOTKEY, 6_000);
        // above the maximum
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeAboveMax.selector, MAX_TAKE + 1, MAX_TAKE));
        metagraph.increaseTake(OWNER1_HOTKEY, MAX_TAKE + 1);
        vm.prank(owner1);
        metagraph.increaseTake(OWNER1_HOTKEY, MAX_TAKE);
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), MAX_TAKE, "up to the maximum");
        // right after an increase, the next one waits again
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeNotHigher.selector, MAX_TAKE, MAX_TAKE));
        metagraph.increaseTake(OWNER1_HOTKEY, MAX_TAKE);
    }

    /// @dev A decrease restarts the wait for the next increase.
    function test_decreaseTake_restartsTheIncreaseLimit() public {
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 5_000);
        vm.roll(_blockNow() + TAKE_RATE_LIMIT + 1);
        vm.prank(owner1);
        metagraph.decreaseTake(OWNER1_HOTKEY, 4_000);
        uint256 decreased = _blockNow();
        vm.roll(decreased + 1);
        vm.prank(owner1);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.TakeRateLimited.selector, OWNER1_HOTKEY, decreased + TAKE_RATE_LIMIT + 1)
        );
        metagraph.increaseTake(OWNER1_HOTKEY, 4_500);
    }

    /// @dev As on the chain, a hotkey that never stored a take has nothing to compare with: an "increase" to the
    /// default (= the maximum) is accepted and stores it, and then starts the rate limit.
    function test_increaseTake_neverSetHotkey() public {
        vm.prank(owner1);
        metagraph.increaseTake(OWNER1_HOTKEY, MAX_TAKE);
        Metagraph.Delegate memory d = metagraph.delegate(OWNER1_HOTKEY);
        assertTrue(d.set && d.takeOf65535 == MAX_TAKE, "stored");
        assertEq(d.lastChangeBlock, _blockNow(), "rate limit started");
    }

    function test_RevertWhen_take_notTheOwner() public {
        bytes32 unknown = keccak256("unknown");
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotRegistered.selector, unknown));
        metagraph.decreaseTake(unknown, 1);
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotRegistered.selector, unknown));
        metagraph.increaseTake(unknown, 1);
        bytes32 ownerColdkey = ck(owner1);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, OWNER1_HOTKEY, ownerColdkey));
        metagraph.decreaseTake(OWNER1_HOTKEY, 1);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, OWNER1_HOTKEY, ownerColdkey));
        metagraph.increaseTake(OWNER1_HOTKEY, 1);
    }

    function test_RevertWhen_constructor_defaultTakeAboveMax() public {
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TakeAboveMax.selector, uint16(11_797), uint16(11_796)));
        new Metagraph(admin, pools, registry, INITIAL_BURN_RAO, 11_797, 11_796, TAKE_RATE_LIMIT);
    }

    /* BURN REGISTRATION */

    function test_burnCost_startsAtTheInitialBurn() public view {
        assertEq(metagraph.burnCost(netuid), INITIAL_BURN_RAO, "1 TAO, within [min, max]");
    }

    /// @dev Against an independent Q32 computation: the chain's per-block step burn·f >> 32 with its constant for a
    /// half-life of 360. One block is exact; over n blocks the model's f^n differs from the chain's n truncations by
    /// less than n rao plus the truncation of f^n.
    function test_burnCost_decaysWithTheHalfLife() public {
        uint256 start = _blockNow();
        uint256 chain = INITIAL_BURN_RAO;
        uint256 done;
        uint256[6] memory checkpoints = [uint256(1), 2, 10, 100, 360, 1_000];
        for (uint256 i; i < checkpoints.length; ++i) {
            for (; done < checkpoints[i]; ++done) chain = (chain * CHAIN_FACTOR_360) >> 32;
            vm.roll(start + checkpoints[i]);
            uint256 model = metagraph.burnCost(netuid);
            if (checkpoints[i] == 1) assertEq(model, chain, "one block: the chain's step exactly");
            uint256 bound = checkpoints[i] + (INITIAL_BURN_RAO * checkpoints[i]) / 2 ** 32 + 1;
            assertApproxAbs(model, chain, bound, "close to the chain's per-block decay");
        }
        vm.roll(start + 100_000);
        assertEq(metagraph.burnCost(netuid), 1_000_000, "clamped at the minimum burn");
    }

    /// @dev Each registration multiplies the burn by 1.26 (floored), at once: a second registration in the same block
    /// pays the bumped burn.
    function test_burnedRegister_multipliesTheBurn() public {
        uint256 first = metagraph.burnCost(netuid);
        _neuron(netuid, alice);
        assertEq(metagraph.burnCost(netuid), (first * 126) / 100, "x 1.26");
        uint256 second = metagraph.burnCost(netuid);
        _neuron(netuid, bob);
        assertEq(metagraph.burnCost(netuid), (second * 126) / 100, "x 1.26 again, same block");
        Metagraph.SubnetState memory s = metagraph.subnetState(netuid);
        assertEq(s.burnUpdatedAt, _blockNow(), "stored now");
        // a block later it has decayed one step from the bumped value
        _advance(1);
        assertEq(metagraph.burnCost(netuid), (((second * 126) / 100) * CHAIN_FACTOR_360) >> 32, "then decays");
    }

    function test_burnedRegister_burnClampedToItsBounds() public {
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.maxBurnRao = 1.5e9;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        assertEq(metagraph.burnCost(netuid), 1e9, "within the bounds");
        _neuron(netuid, alice);
        assertEq(metagraph.burnCost(netuid), 1.26e9, "1.26");
        _neuron(netuid, bob);
        assertEq(metagraph.burnCost(netuid), 1.5e9, "clamped to the maximum");
        _neuron(netuid, carol);
        assertEq(metagraph.burnCost(netuid), 1.5e9, "and stays there");
        // a minimum above the current burn lifts it
        hp.minBurnRao = 1.4e9;
        hp.maxBurnRao = 100e9;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        vm.roll(_blockNow() + 10_000);
        assertEq(metagraph.burnCost(netuid), 1.4e9, "never below the minimum");
    }

    /// @dev The burned TAO buys alpha in the pool (fee kept by the pool) and that alpha leaves the issuance: no one
    /// owns it and the price rises.
    function test_burnedRegister_buysAlphaThatLeavesTheIssuance() public {
        (IAlphaPoolsTypes.Pool memory before, , IAlphaPoolsTypes.Books memory booksBefore) = pools.storedSubnet(netuid);
        uint256 burn = metagraph.burnCost(netuid);
        uint256 poolsBalance = address(pools).balance;
        uint256 expectedAlpha = PoolMath.amountOutDown(
            burn - PoolMath.feeOnGross(burn, FEE_RATE),
            before.taoRao,
            before.alphaRao
        );
        _neuron(netuid, alice);
        (
            IAlphaPoolsTypes.Pool memory afterPool,
            IAlphaPoolsTypes.Emission memory em,
            IAlphaPoolsTypes.Books memory books
        ) = pools.storedSubnet(netuid);
        assertEq(afterPool.taoRao, before.taoRao + burn, "the whole burn enters the pool");
        assertEq(afterPool.alphaRao, before.alphaRao - expectedAlpha, "alpha bought out of the pool");
        assertEq(books.alphaIssuanceRao, booksBefore.alphaIssuanceRao - expectedAlpha, "and out of the issuance");
        assertEq(em.unownedAlphaRao, 0, "not parked as unowned: destroyed");
        assertEq(address(pools).balance, poolsBalance + _wei(burn), "the TAO is in the pools");
        assertEq(pools.getStake(ck(alice), ck(alice), netuid), 0, "no stake for the registrant");
        assertGt(_storedSpotPriceWad(netuid), WAD, "the price rose");
    }

    function test_burnedRegister_refundsTheExcess() public {
        bytes32 hotkey = ck(alice);
        vm.deal(alice, _wei(3 * TAO));
        vm.prank(alice);
        metagraph.burnedRegister{value: _wei(3 * TAO)}(netuid, hotkey, 3 * TAO);
        assertEq(alice.balance, _wei(2 * TAO), "2 TAO back");
    }

    function test_RevertWhen_burnedRegister_paymentChecks() public {
        bytes32 hotkey = ck(alice);
        vm.deal(alice, _wei(10 * TAO) + 1);
        vm.startPrank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.BurnAboveMax.selector, INITIAL_BURN_RAO, INITIAL_BURN_RAO - 1)
        );
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, hotkey, INITIAL_BURN_RAO - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.InsufficientBurn.selector, INITIAL_BURN_RAO - 1, INITIAL_BURN_RAO)
        );
        metagraph.burnedRegister{value: _wei(INITIAL_BURN_RAO - 1)}(netuid, hotkey, TAO);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, _wei(TAO) + 1));
        metagraph.burnedRegister{value: _wei(TAO) + 1}(netuid, hotkey, TAO);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.burnedRegister{value: _wei(TAO)}(9, hotkey, TAO);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(0)));
        metagraph.burnedRegister{value: _wei(TAO)}(0, hotkey, TAO);
        vm.stopPrank();
        uint16 uid = _neuron(netuid, alice);
        vm.deal(alice, _wei(10 * TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyAlreadyRegistered.selector, netuid, hotkey, uid));
        metagraph.burnedRegister{value: _wei(10 * TAO)}(netuid, hotkey, 10 * TAO);
    }

    function test_RevertWhen_burnedRegister_refundRejected() public {
        Actor actor = new Actor();
        actor.setRefuseTao(true);
        bytes32 hotkey = pools.coldkeyOf(address(actor));
        vm.deal(address(actor), _wei(3 * TAO));
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.TaoTransferFailed.selector, address(actor), _wei(2 * TAO)));
        actor.act(
            address(metagraph),
            _wei(3 * TAO),
            abi.encodeCall(metagraph.burnedRegister, (netuid, hotkey, 3 * TAO))
        );
    }

    /* REPLACEMENT */

    /// @dev Fills uids 1…7 (maxUids 8), one block apart; returns their hotkeys.
    function _fill() internal returns (bytes32[8] memory hotkeys) {
        for (uint256 i = 1; i < 8; ++i) {
            hotkeys[i] = _hotkey(address(uint160(0x1000 + i)), carol);
            _register(carol, hotkeys[i]);
            _advance(1);
        }
    }

    function _recordEmissions(uint64[8] memory emissions) internal {
        uint32 generation = metagraph.generationOf(netuid);
        for (uint16 uid; uid < 8; ++uid) {
            bytes32 hotkey = metagraph.hotkeyOf(netuid, uid);
            vm.prank(settler);
            metagraph.recordPayout(netuid, generation, uid, hotkey, emissions[uid]);
        }
    }

    function test_burnedRegister_fullSubnetReplacesTheLowestEmission() public {
        bytes32[8] memory hotkeys = _fill();
        _advance(20); // past the neuron immunity
        _recordEmissions([uint64(0), 5, 5, 1, 5, 5, 5, 5]);
        // uid 3 has a permit, weights and a pending commit that must not pass to its successor
        _permit(netuid, _u16(3));
        assertTrue(metagraph.hasValidatorPermit(netuid, 3), "permit before");
        bytes32 newcomer = _hotkey(address(0x2000), carol);
        uint16 uid = _register(carol, newcomer);
        assertEq(uid, 3, "the lowest emission (the owner's 0 never counts)");
        (bool stillThere, ) = metagraph.uidOf(netuid, hotkeys[3]);
        assertTrue(!stillThere, "replaced hotkey deregistered");
        assertEq(metagraph.ownerOf(hotkeys[3]), ck(carol), "but still owned");
        assertEq(metagraph.hotkeyOf(netuid, 3), newcomer, "newcomer at uid 3");
        assertEq(metagraph.neuronCount(netuid), 8, "still full");
        assertTrue(!metagraph.hasValidatorPermit(netuid, 3), "no inherited permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "owner keeps its permit");
        IMetagraph.NeuronView[] memory list = metagraph.neurons(netuid, 3, 1);
        assertEq(list[0].emissionAlphaRao, 0, "no inherited emission");
        assertEq(list[0].registeredAt, _blockNow(), "registered now");
    }

    function test_burnedRegister_tiesGoToTheEarliestThenTheLowerUid() public {
        _fill();
        _advance(20);
        // all zero: uid 1 is the earliest registration
        assertEq(_register(carol, _hotkey(address(0x2000), carol)), 1, "earliest replaced");
        // two uids registered in the same block tie on both: the lower uid goes
        _advance(21);
        _register(carol, _hotkey(address(0x2001), carol)); // replaces uid 2 (next earliest)
        _register(carol, _hotkey(address(0x2002), carol)); // replaces uid 3, same block as uid 2's newcomer
        _advance(21);
        _recordEmissions([uint64(0), 9, 0, 0, 9, 9, 9, 9]);
        assertEq(_register(carol, _hotkey(address(0x2003), carol)), 2, "same block, same emission: the lower uid");
    }

    function test_burnedRegister_neverReplacesTheOwnerOrAnImmuneNeuron() public {
        _fill(); // uid i registered at start + i − 1; now start + 7
        // at start + 21 only uids 1 and 2 are past their 20 blocks of immunity
        _advance(14);
        // the owner has the lowest emission and uids 3…7 lower ones than uid 2: all protected
        _recordEmissions([uint64(0), 9, 8, 1, 1, 1, 1, 1]);
        assertEq(_register(carol, _hotkey(address(0x2000), carol)), 2, "lowest non-immune, non-owner");
        // with a long immunity nobody can be replaced
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.immunityPeriod = 1_000;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        uint256 burn = metagraph.burnCost(netuid);
        bytes32 late = _hotkey(address(0x2001), carol);
        vm.deal(carol, _wei(burn));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoPrunableNeuron.selector, netuid));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, late, burn);
    }

    /* WEIGHTS */

    function test_setWeights_selfWeightNeedsNoPermit() public {
        uint16 uid = _neuron(netuid, alice);
        uint16[] memory uids = _u16(uid);
        uint16[] memory values = _u16(65_535);
        vm.prank(alice);
        metagraph.setWeights(netuid, uids, values, 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(uids, values)), "commitment");
        assertEq(metagraph.neurons(netuid, uid, 1)[0].lastUpdate, _blockNow(), "last update");
    }

    function test_setWeights_othersNeedAPermit() public {
        uint16 uid = _neuron(netuid, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoValidatorPermit.selector, netuid, uid));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1, 1), 0);
        // self among others is not a self-weight
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoValidatorPermit.selector, netuid, uid));
        metagraph.setWeights(netuid, _u16(uid, 0), _u16(1, 1), 0);
        _permit(netuid, _u16(uid));
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1, 1), 0);
        assertEq(
            metagraph.weightsCommitment(netuid, uid),
            keccak256(abi.encode(_u16(0, uid), _u16(1, 1))),
            "set with a permit"
        );
    }

    function test_setWeights_versionKey() public {
        uint16 uid = _neuron(netuid, alice);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.weightsVersionKey = 5;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.IncorrectVersionKey.selector, uint64(4), uint64(5)));
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 4);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 5);
        _advance(5);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 7);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(_u16(uid), _u16(1))), "newer key ok");
    }

    function test_setWeights_rateLimited() public {
        uint16 uid = _neuron(netuid, alice);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 0);
        uint256 last = _blockNow();
        vm.roll(last + 4);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.WeightsRateLimited.selector, netuid, uid, last + 5));
        metagraph.setWeights(netuid, _u16(uid), _u16(2), 0);
        vm.roll(last + 5);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(uid), _u16(2), 0);
        assertEq(
            metagraph.weightsCommitment(netuid, uid),
            keccak256(abi.encode(_u16(uid), _u16(2))),
            "after the limit"
        );
    }

    function test_RevertWhen_setWeights_badVectors() public {
        uint16 uid = _neuron(netuid, alice);
        _permit(netuid, _u16(uid));
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.DuplicateUid.selector, uint16(0)));
        metagraph.setWeights(netuid, _u16(0, uid, 0), _u16(1, 1, 1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UidOutOfRange.selector, uint16(2), uint256(2)));
        metagraph.setWeights(netuid, _u16(0, 2), _u16(1, 1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.LengthMismatch.selector, uint256(2), uint256(1)));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.setWeights(9, _u16(0), _u16(1), 0);
        vm.stopPrank();
        bytes32 bobHotkey = ck(bob);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NotRegistered.selector, netuid, bobHotkey));
        metagraph.setWeights(netuid, _u16(0), _u16(1), 0);
    }

    /* COMMIT-REVEAL */

    function _enableCommitReveal(uint16 tempo) internal {
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.commitReveal = true;
        hp.tempo = tempo;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
    }

    function _hash(
        bytes32 hotkey,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt
    ) internal view returns (bytes32) {
        return keccak256(abi.encode(hotkey, netuid, uids, values, salt, uint64(0)));
    }

    function test_RevertWhen_commitRevealModeMismatch() public {
        uint16 uid = _neuron(netuid, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.CommitRevealDisabled.selector, netuid));
        metagraph.commitWeights(netuid, bytes32(uint256(1)));
        _enableCommitReveal(20);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.CommitRevealEnabled.selector, netuid));
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 0);
    }

    function test_commitReveal_windowIsTheNextTempo() public {
        uint16 uid = _neuron(netuid, alice);
        _enableCommitReveal(20);
        bytes32 salt = keccak256("salt");
        uint16[] memory uids = _u16(uid);
        uint16[] memory values = _u16(7);
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(ck(alice), uids, values, salt));
        uint256 committed = _blockNow();
        IMetagraph.WeightsCommit memory c = metagraph.pendingCommit(netuid, uid);
        assertEq(c.revealFrom, committed + 20, "from one tempo on");
        assertEq(c.revealUntil, committed + 39, "for one tempo");
        vm.roll(committed + 19);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealTooEarly.selector, netuid, uid, committed + 20));
        metagraph.revealWeights(netuid, uids, values, salt, 0);
        vm.roll(committed + 20);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealMismatch.selector, netuid, uid));
        metagraph.revealWeights(netuid, uids, _u16(8), salt, 0);
        vm.prank(alice);
        metagraph.revealWeights(netuid, uids, values, salt, 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(uids, values)), "revealed weights");
        assertEq(metagraph.pendingCommit(netuid, uid).hash, bytes32(0), "commit used");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoWeightsCommit.selector, netuid, uid));
        metagraph.revealWeights(netuid, uids, values, salt, 0);
        // a commit not revealed in time expires
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(ck(alice), uids, values, salt));
        uint256 again = _blockNow();
        vm.roll(again + 40);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealExpired.selector, netuid, uid, again + 39));
        metagraph.revealWeights(netuid, uids, values, salt, 0);
    }

    /// @dev The window is fixed at commit: a shorter tempo set after the commit neither moves the window earlier nor
    /// voids the reveal at its end.
    function test_commitReveal_shorterTempoLaterDoesNotVoidTheCommit() public {
        uint16 uid = _neuron(netuid, alice);
        _enableCommitReveal(20);
        bytes32 salt = keccak256("salt");
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(ck(alice), _u16(uid), _u16(7), salt));
        uint256 committed = _blockNow();
        _advance(1);
        _enableCommitReveal(MIN_TEMPO); // 10
        IMetagraph.WeightsCommit memory c = metagraph.pendingCommit(netuid, uid);
        assertEq(c.revealFrom, committed + 20, "window start unchanged");
        assertEq(c.revealUntil, committed + 39, "window end unchanged");
        vm.roll(committed + 10);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealTooEarly.selector, netuid, uid, committed + 20));
        metagraph.revealWeights(netuid, _u16(uid), _u16(7), salt, 0);
        vm.roll(committed + 39);
        vm.prank(alice);
        metagraph.revealWeights(netuid, _u16(uid), _u16(7), salt, 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(_u16(uid), _u16(7))), "revealed");
    }

    /// @dev And a longer tempo neither delays nor stretches it.
    function test_commitReveal_longerTempoLaterDoesNotStretchTheWindow() public {
        uint16 a = _neuron(netuid, alice);
        uint16 b = _neuron(netuid, bob);
        _enableCommitReveal(20);
        bytes32 salt = keccak256("salt");
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(ck(alice), _u16(a), _u16(7), salt));
        vm.prank(bob);
        metagraph.commitWeights(netuid, _hash(ck(bob), _u16(b), _u16(7), salt));
        uint256 committed = _blockNow();
        _advance(1);
        _enableCommitReveal(40);
        vm.roll(committed + 20);
        vm.prank(alice);
        metagraph.revealWeights(netuid, _u16(a), _u16(7), salt, 0);
        vm.roll(committed + 40);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealExpired.selector, netuid, b, committed + 39));
        metagraph.revealWeights(netuid, _u16(b), _u16(7), salt, 0);
    }

    function test_revealWeights_othersStillNeedAPermit() public {
        uint16 uid = _neuron(netuid, alice);
        _enableCommitReveal(20);
        bytes32 salt = keccak256("salt");
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(ck(alice), _u16(0, uid), _u16(1, 1), salt));
        vm.roll(_blockNow() + 20);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoValidatorPermit.selector, netuid, uid));
        metagraph.revealWeights(netuid, _u16(0, uid), _u16(1, 1), salt, 0);
    }

    /* SETTLEMENT OUTPUTS */

    function test_setValidatorPermits_onlySettlerAndCurrentGeneration() public {
        _neuron(netuid, alice);
        _neuron(netuid, bob);
        bytes32 role = metagraph.SETTLER_ROLE();
        vm.prank(owner1);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner1, role));
        metagraph.setValidatorPermits(netuid, 1, type(uint256).max, _words(7));
        vm.startPrank(settler);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.StaleGeneration.selector, netuid, uint32(2), uint32(1)));
        metagraph.setValidatorPermits(netuid, 2, type(uint256).max, _words(7));
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.PermitWordsMismatch.selector, uint256(2), uint256(1)));
        metagraph.setValidatorPermits(netuid, 1, type(uint256).max, new uint256[](2));
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.setValidatorPermits(9, 1, type(uint256).max, _words(7));
        metagraph.setValidatorPermits(netuid, 1, type(uint256).max, _words(0x5)); // uids 0 and 2
        vm.stopPrank();
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "uid 0");
        assertTrue(!metagraph.hasValidatorPermit(netuid, 1), "not uid 1");
        assertTrue(metagraph.hasValidatorPermit(netuid, 2), "uid 2");
    }

    /// @dev An epoch's permits go to the uids whose neurons were placed by its snapshot block, whether or not any
    /// neuron was placed since (when none was, the metagraph reads no uid).
    function testFuzz_setValidatorPermits_onlyUidsPlacedByTheSnapshot(uint8 earlier, uint8 later, uint8 gap) public {
        uint256 before = 1 + _bound(earlier, 0, 3); // with the owner's uid and the later ones, within 8 uids
        for (uint256 i; i < before; ++i) {
            _advance(1);
            _neuron(netuid, address(uint160(0xA000 + i)));
        }
        uint256 snapshotBlock = _blockNow() + _bound(gap, 0, 2);
        vm.roll(snapshotBlock);
        uint256 after_ = _bound(later, 0, 3);
        for (uint256 i; i < after_; ++i) {
            _advance(1);
            _neuron(netuid, address(uint160(0xB000 + i)));
        }
        uint256 n = metagraph.neuronCount(netuid);
        assertEq(n, 1 + before + after_, "the owner's uid and every neuron");
        uint32 generation = metagraph.generationOf(netuid);
        vm.prank(settler);
        metagraph.setValidatorPermits(netuid, generation, snapshotBlock, _words(type(uint256).max));
        for (uint16 uid; uid < n; ++uid) {
            assertTrue(metagraph.hasValidatorPermit(netuid, uid) == (uid <= before), "a permit by the snapshot only");
        }
    }

    function test_recordPayout_onlySettlerAndCurrentGeneration() public {
        _neuron(netuid, alice);
        bytes32 hotkey = metagraph.hotkeyOf(netuid, 1);
        bytes32 role = metagraph.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        metagraph.recordPayout(netuid, 1, 1, hotkey, 5);
        vm.startPrank(settler);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.StaleGeneration.selector, netuid, uint32(0), uint32(1)));
        metagraph.recordPayout(netuid, 0, 1, hotkey, 5);
        assertEq(metagraph.recordPayout(netuid, 1, 1, hotkey, 5), ck(alice), "returns the hotkey's owner");
        vm.stopPrank();
        assertEq(metagraph.neurons(netuid, 1, 1)[0].emissionAlphaRao, 5, "recorded");
    }

    /// @dev A payout to a hotkey that no longer holds the uid (or a uid past the subnet) records nothing, and still
    /// names the hotkey's owner: the payout goes to the hotkey, the record to the neuron now at the uid.
    function testFuzz_recordPayout_onlyWhileTheUidHoldsTheHotkey(bytes32 other, uint16 uid, uint64 emission) public {
        _neuron(netuid, alice);
        bytes32 hotkey = metagraph.hotkeyOf(netuid, 1);
        vm.assume(other != hotkey && emission != 0);
        vm.startPrank(settler);
        assertEq(metagraph.recordPayout(netuid, 1, 1, other, emission), metagraph.ownerOf(other), "other's owner");
        assertEq(metagraph.neurons(netuid, 1, 1)[0].emissionAlphaRao, 0, "another hotkey's payout is not uid 1's");
        uid = uint16(_bound(uid, 2, type(uint16).max));
        metagraph.recordPayout(netuid, 1, uid, bytes32(0), emission); // past the subnet's uids: an empty hotkey
        metagraph.recordPayout(netuid, 1, 1, hotkey, emission);
        vm.stopPrank();
        IMetagraph.NeuronView[] memory list = metagraph.neurons(netuid, 0, 100);
        assertEq(list.length, 2, "no neuron added");
        assertEq(list[0].emissionAlphaRao, 0, "the owner's uid untouched");
        assertEq(list[1].emissionAlphaRao, emission, "uid 1 recorded");
    }

    /* VIEWS */

    /// @dev neurons() gives each uid's stake on the subnet and on root (a validator's stake weight needs both).
    function test_neurons_alphaAndRootStake() public {
        vm.prank(owner1);
        registry.startCall(netuid);
        _advance(1);
        uint16 uid = _neuron(netuid, alice);
        bytes32 aliceHotkey = ck(alice);
        uint256 alpha = _stake(bob, aliceHotkey, netuid, 10 * TAO);
        uint256 ownerAlpha = _stake(carol, OWNER1_HOTKEY, netuid, 3 * TAO);
        _stake(bob, aliceHotkey, 0, 7 * TAO);
        _permit(netuid, _u16(uid));
        _recordEmissionsFor(uid, 42);
        IMetagraph.NeuronView[] memory list = metagraph.neurons(netuid, 0, 10);
        assertEq(list.length, 2, "clamped to n");
        assertEq(list[0].hotkey, OWNER1_HOTKEY, "uid 0");
        assertEq(list[0].coldkey, ck(owner1), "owner's coldkey");
        assertEq(list[0].alphaStakeRao, ownerAlpha, "owner hotkey alpha stake");
        assertEq(list[0].rootStakeRao, 0, "no root stake");
        assertEq(list[1].uid, uid, "uid");
        assertEq(list[1].hotkey, aliceHotkey, "hotkey");
        assertEq(list[1].coldkey, aliceHotkey, "its own coldkey");
        assertEq(list[1].alphaStakeRao, alpha, "alpha stake");
        assertEq(list[1].rootStakeRao, 7 * TAO, "root stake, 1:1");
        assertTrue(list[1].validatorPermit, "permit");
        assertEq(list[1].emissionAlphaRao, 42, "emission");
        assertEq(metagraph.neurons(netuid, 1, 5).length, 1, "from uid 1");
        assertEq(metagraph.neurons(netuid, 2, 5).length, 0, "from n: empty");
        assertEq(metagraph.neurons(netuid, 0, 0).length, 0, "count 0: empty");
        assertEq(metagraph.neurons(9, 0, 5).length, 0, "unknown subnet: empty");
    }

    function _recordEmissionsFor(uint16 uid, uint64 amount) internal {
        uint32 generation = metagraph.generationOf(netuid);
        bytes32 hotkey = metagraph.hotkeyOf(netuid, uid);
        vm.prank(settler);
        metagraph.recordPayout(netuid, generation, uid, hotkey, amount);
    }

    function test_views_unknownAndUnregistered() public {
        assertEq(metagraph.neuronCount(9), 0, "unknown subnet: no neurons");
        (bool registered, uint16 uid) = metagraph.uidOf(netuid, keccak256("nobody"));
        assertTrue(!registered && uid == 0, "not registered");
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.burnCost(9);
        assertEq(metagraph.generationOf(netuid), 1, "generation");
    }
}
