// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {Metagraph} from "../../../contracts/model/Metagraph.sol";
import {BaseTest} from "../BaseTest.sol";

/// @notice Metagraph: burn registration and replacement, burn adjustment, weights, validator permits, emissions.
contract MetagraphTest is BaseTest {
    uint16 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
    }

    /// @dev Registers `who`'s own account id as its hotkey (so that it can set weights) at the current burn.
    function _burnRegister(address who) internal returns (uint16 uid) {
        uint256 burn = metagraph.burnCost(netuid);
        bytes32 hk = ck(who);
        vm.deal(who, who.balance + _wei(burn));
        vm.prank(who);
        uid = metagraph.burnedRegister{value: _wei(burn)}(netuid, hk, burn);
    }

    function test_RevertWhen_burnedRegister_paused() public {
        vm.prank(pauser);
        pools.pause();
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(carol, _wei(burn));
        vm.prank(carol);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        metagraph.burnedRegister{value: _wei(burn)}(netuid, keccak256("paused"), burn);
    }

    function _registerKey(bytes32 hk) internal returns (uint16 uid) {
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(carol, carol.balance + _wei(burn));
        vm.prank(carol);
        uid = metagraph.burnedRegister{value: _wei(burn)}(netuid, hk, burn);
    }

    function _u16(uint16 a) internal pure returns (uint16[] memory r) {
        r = new uint16[](1);
        r[0] = a;
    }

    function _u16(uint16 a, uint16 b) internal pure returns (uint16[] memory r) {
        r = new uint16[](2);
        (r[0], r[1]) = (a, b);
    }

    /* burnedRegister */

    function test_burnedRegister_burnsIntoTheReserveAndRefundsExcess() public {
        uint256 reserveBefore = pools.treasury().emissionReserveRao;
        bytes32 hk = ck(alice);
        vm.deal(alice, _wei(3 * TAO));
        vm.prank(alice);
        uint16 uid = metagraph.burnedRegister{value: _wei(3 * TAO)}(netuid, hk, 3 * TAO);
        assertEq(uid, 1, "uid 1");
        assertEq(alice.balance, _wei(2 * TAO), "excess refunded");
        assertEq(pools.treasury().emissionReserveRao, reserveBefore + INITIAL_BURN_RAO, "burn recycled");
        assertEq(pools.hotkeyOwner(hk), ck(alice), "hotkey owner");
        assertEq(metagraph.neuronCount(netuid), 2, "two neurons");
        assertEq(metagraph.subnetState(netuid).registrationsThisInterval, 1, "counted");
    }

    function test_RevertWhen_burnedRegister_alreadyRegistered() public {
        uint16 uid = _burnRegister(alice);
        bytes32 hk = ck(alice);
        vm.deal(alice, _wei(TAO));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyAlreadyRegistered.selector, netuid, hk, uid));
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, hk, TAO);
    }

    function test_RevertWhen_burnedRegister_burnChecks() public {
        bytes32 hk = ck(alice);
        vm.deal(alice, _wei(10 * TAO) + 1);
        vm.startPrank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.BurnAboveMax.selector, INITIAL_BURN_RAO, INITIAL_BURN_RAO - 1)
        );
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, hk, INITIAL_BURN_RAO - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.InsufficientBurn.selector, INITIAL_BURN_RAO - 1, INITIAL_BURN_RAO)
        );
        metagraph.burnedRegister{value: _wei(INITIAL_BURN_RAO - 1)}(netuid, hk, TAO);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, _wei(TAO) + 1));
        metagraph.burnedRegister{value: _wei(TAO) + 1}(netuid, hk, TAO);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.burnedRegister{value: _wei(TAO)}(9, hk, TAO);
        vm.stopPrank();
    }

    function test_RevertWhen_burnedRegister_hotkeyOwnedByOther() public {
        _registerSubnet(owner2, OWNER2_HOTKEY);
        vm.deal(bob, _wei(TAO));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.HotkeyOwnedByOther.selector, OWNER2_HOTKEY, ck(owner2)));
        metagraph.burnedRegister{value: _wei(TAO)}(netuid, OWNER2_HOTKEY, TAO);
    }

    function _fill() internal {
        // uids 1…7 (maxUids 8), one per block so registration blocks differ
        for (uint256 i = 1; i < 8; ++i) {
            _registerKey(bytes32(i));
            _rollBy(1);
        }
    }

    function test_burnedRegister_fullSubnetReplacesLowestEmission() public {
        _fill();
        _rollBy(20); // past the immunity period
        uint16[] memory uids = new uint16[](7);
        uint64[] memory em = new uint64[](7);
        for (uint16 i; i < 7; ++i) (uids[i], em[i]) = (i + 1, i == 2 ? 1 : 5);
        vm.prank(settler);
        metagraph.recordEmissions(netuid, uids, em);
        uint16 uid = _registerKey(bytes32(uint256(100)));
        assertEq(uid, 3, "lowest emission replaced");
        (bool oldRegistered, ) = metagraph.uidOf(netuid, bytes32(uint256(3)));
        assertTrue(!oldRegistered, "replaced hotkey is gone");
        assertEq(metagraph.neuronCount(netuid), 8, "still full");
    }

    function test_burnedRegister_tieReplacesEarliestAndNeverTheOwner() public {
        _fill();
        _rollBy(20);
        // all emissions 0: uid 1 is the earliest non-owner registration
        assertEq(_registerKey(bytes32(uint256(100))), 1, "earliest replaced");
        (bool ownerRegistered, uint16 ownerUid) = metagraph.uidOf(netuid, OWNER1_HOTKEY);
        assertTrue(ownerRegistered && ownerUid == 0, "owner kept");
    }

    function test_RevertWhen_burnedRegister_allImmune() public {
        _fill();
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(carol, _wei(burn));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoPrunableNeuron.selector, netuid));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, bytes32(uint256(100)), burn);
    }

    /* burn adjustment */

    function test_burnCost_adjustsPerInterval() public {
        assertEq(metagraph.burnCost(netuid), INITIAL_BURN_RAO, "initial");
        _rollBy(100);
        // no registration in the interval: burn·(0 + 1)/2
        assertEq(metagraph.burnCost(netuid), INITIAL_BURN_RAO / 2, "halved");
        _rollBy(200);
        // three intervals: once by the formula, then halved twice more
        assertEq(metagraph.burnCost(netuid), INITIAL_BURN_RAO / 8, "three empty intervals");
        _rollBy(100_000);
        assertEq(metagraph.burnCost(netuid), 1_000_000, "clamped at the minimum");
    }

    function test_burnCost_risesWithRegistrations() public {
        _registerKey(bytes32(uint256(1)));
        _registerKey(bytes32(uint256(2)));
        _registerKey(bytes32(uint256(3)));
        vm.roll(metagraph.subnetState(netuid).lastAdjustmentBlock + 100);
        // burn·(3 + 1)/(2·1)
        assertEq(metagraph.burnCost(netuid), 2 * INITIAL_BURN_RAO, "doubled");
    }

    /* setWeights */

    function test_setWeights_selfWithoutPermitStoresCommitment() public {
        uint16 uid = _burnRegister(alice);
        uint16[] memory uids = _u16(uid);
        uint16[] memory values = _u16(65_535);
        vm.prank(alice);
        metagraph.setWeights(netuid, uids, values, 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(uids, values)), "commitment");
    }

    function test_RevertWhen_setWeights_noPermit() public {
        uint16 uid = _burnRegister(alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoValidatorPermit.selector, netuid, uid));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1, 1), 0);
    }

    function _permittedAlice() internal returns (uint16 uid) {
        uid = _burnRegister(alice);
        _stake(bob, ck(alice), netuid, TAO);
        metagraph.updateValidatorPermits(netuid);
        assertTrue(metagraph.hasValidatorPermit(netuid, uid), "permit");
    }

    function test_setWeights_rateLimited() public {
        uint16 uid = _permittedAlice();
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1, 2), 0);
        uint256 next = block.number + 5;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.WeightsRateLimited.selector, netuid, uid, next));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(2, 1), 0);
        vm.roll(next);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(0, uid), _u16(2, 1), 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(_u16(0, uid), _u16(2, 1))), "updated");
    }

    /* COMMIT-REVEAL */

    function _commitRevealOn() internal {
        vm.prank(owner1);
        metagraph.setCommitReveal(netuid, true);
    }

    function _hash(
        address who,
        uint16[] memory uids,
        uint16[] memory values,
        bytes32 salt
    ) internal view returns (bytes32) {
        return keccak256(abi.encode(ck(who), netuid, uids, values, salt, uint64(0)));
    }

    /// @dev The current block, read through an external call: via-IR may move a plain `block.number` read past
    /// a `vm.roll` in the same function.
    function _now() internal view returns (uint256) {
        return this.blockNumber();
    }

    function blockNumber() external view returns (uint256) {
        return block.number;
    }

    function test_RevertWhen_setCommitReveal_notOwner() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NotSubnetOwner.selector, netuid, alice));
        metagraph.setCommitReveal(netuid, true);
    }

    function test_RevertWhen_setWeights_commitRevealEnabled() public {
        uint16 uid = _permittedAlice();
        _commitRevealOn();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.CommitRevealEnabled.selector, netuid));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1, 2), 0);
    }

    function test_RevertWhen_commitWeights_commitRevealDisabled() public {
        _permittedAlice();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.CommitRevealDisabled.selector, netuid));
        metagraph.commitWeights(netuid, bytes32(uint256(1)));
    }

    function test_commitThenReveal_setsWeightsOneTempoLater() public {
        uint16 uid = _permittedAlice();
        _commitRevealOn();
        uint16[] memory uids = _u16(0, uid);
        uint16[] memory values = _u16(7, 9);
        bytes32 salt = keccak256("salt");
        uint256 committedAt = _now();
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(alice, uids, values, salt));
        uint256 tempo = registry.hyperparameters(netuid).tempo;

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealTooEarly.selector, netuid, uid, committedAt + tempo));
        metagraph.revealWeights(netuid, uids, values, salt, 0);

        vm.roll(committedAt + tempo);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealMismatch.selector, netuid, uid));
        metagraph.revealWeights(netuid, uids, _u16(9, 7), salt, 0);

        vm.prank(alice);
        metagraph.revealWeights(netuid, uids, values, salt, 0);
        assertEq(metagraph.weightsCommitment(netuid, uid), keccak256(abi.encode(uids, values)), "weights set");

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NoWeightsCommit.selector, netuid, uid));
        metagraph.revealWeights(netuid, uids, values, salt, 0);
    }

    function test_RevertWhen_revealWeights_expired() public {
        uint16 uid = _permittedAlice();
        _commitRevealOn();
        uint16[] memory uids = _u16(0, uid);
        uint16[] memory values = _u16(7, 9);
        uint256 committedAt = _now();
        vm.prank(alice);
        metagraph.commitWeights(netuid, _hash(alice, uids, values, bytes32(0)));
        uint256 tempo = registry.hyperparameters(netuid).tempo;
        vm.roll(committedAt + 2 * tempo);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.RevealExpired.selector, netuid, uid, committedAt + 2 * tempo - 1)
        );
        metagraph.revealWeights(netuid, uids, values, bytes32(0), 0);
    }

    function test_RevertWhen_setWeights_invalidInput() public {
        uint16 uid = _permittedAlice();
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.LengthMismatch.selector, 2, 1));
        metagraph.setWeights(netuid, _u16(0, uid), _u16(1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UidOutOfRange.selector, uint16(2), 2));
        metagraph.setWeights(netuid, _u16(0, 2), _u16(1, 1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.DuplicateUid.selector, uint16(0)));
        metagraph.setWeights(netuid, _u16(0, 0), _u16(1, 1), 0);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UnknownSubnet.selector, uint16(9)));
        metagraph.setWeights(9, _u16(0), _u16(1), 0);
        vm.stopPrank();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.NotRegistered.selector, netuid, ck(bob)));
        metagraph.setWeights(netuid, _u16(0), _u16(1), 0);
    }

    function test_RevertWhen_setWeights_versionKeyTooLow() public {
        uint16 uid = _burnRegister(alice);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.weightsVersionKey = 7;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.IncorrectVersionKey.selector, uint64(6), uint64(7)));
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 6);
        vm.prank(alice);
        metagraph.setWeights(netuid, _u16(uid), _u16(1), 7);
    }

    /* updateValidatorPermits */

    function test_updateValidatorPermits_topKByStake() public {
        uint16 a = _registerKey(bytes32(uint256(1)));
        uint16 b = _registerKey(bytes32(uint256(2)));
        uint16 c = _registerKey(bytes32(uint256(3)));
        uint16 d = _registerKey(bytes32(uint256(4)));
        _stake(alice, bytes32(uint256(1)), netuid, 1 * TAO);
        _stake(alice, bytes32(uint256(2)), netuid, 3 * TAO);
        _stake(alice, bytes32(uint256(3)), netuid, 2 * TAO);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.maxValidators = 2;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        metagraph.updateValidatorPermits(netuid);
        assertTrue(metagraph.hasValidatorPermit(netuid, b), "largest");
        assertTrue(metagraph.hasValidatorPermit(netuid, c), "second");
        assertTrue(!metagraph.hasValidatorPermit(netuid, a), "third is out");
        assertTrue(!metagraph.hasValidatorPermit(netuid, d), "no stake, no permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "owner keeps one");
        Metagraph.NeuronView[] memory list = metagraph.neurons(netuid, 0, 10);
        assertEq(list.length, 5, "all neurons");
        assertEq(list[b].stake, pools.getTotalHotkeyAlpha(bytes32(uint256(2)), netuid), "stake in the view");
        assertTrue(list[b].validatorPermit, "permit in the view");
    }

    function test_updateValidatorPermits_tieGoesToHigherUid() public {
        uint16 a = _registerKey(bytes32(uint256(1)));
        uint16 b = _registerKey(bytes32(uint256(2)));
        // the same TAO into an unchanged pool buys different alpha; use the pool directly for exactly equal alpha
        _stake(alice, bytes32(uint256(1)), netuid, TAO);
        uint256 target = pools.getTotalHotkeyAlpha(bytes32(uint256(1)), netuid);
        _stake(bob, bytes32(uint256(2)), netuid, TAO * 2);
        uint256 extra = pools.getTotalHotkeyAlpha(bytes32(uint256(2)), netuid) - target;
        _unstake(bob, bytes32(uint256(2)), netuid, extra);
        assertEq(pools.getTotalHotkeyAlpha(bytes32(uint256(2)), netuid), target, "equal stakes");
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.maxValidators = 1;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        metagraph.updateValidatorPermits(netuid);
        assertTrue(metagraph.hasValidatorPermit(netuid, b), "higher uid wins the tie");
        assertTrue(!metagraph.hasValidatorPermit(netuid, a), "lower uid loses");
    }

    /* recordEmissions and openSubnet access */

    function test_recordEmissions_storesAndChecks() public {
        uint16 uid = _registerKey(bytes32(uint256(1)));
        vm.prank(settler);
        metagraph.recordEmissions(netuid, _u16(uid), _one64(42));
        assertEq(metagraph.neurons(netuid, uid, 1)[0].emission, 42, "stored");
        uint64[] memory two = new uint64[](2);
        vm.startPrank(settler);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.LengthMismatch.selector, 1, 2));
        metagraph.recordEmissions(netuid, _u16(uid), two);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.UidOutOfRange.selector, uint16(5), 2));
        metagraph.recordEmissions(netuid, _u16(5), _one64(1));
        vm.stopPrank();
        bytes32 role = metagraph.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role)
        );
        metagraph.recordEmissions(netuid, _u16(uid), _one64(1));
    }

    function test_RevertWhen_openSubnet_notRegistry() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, bytes32(0))
        );
        metagraph.openSubnet(5, OWNER2_HOTKEY, ck(owner2));
    }

    function test_neurons_emptyRange() public view {
        assertEq(metagraph.neurons(netuid, 5, 10).length, 0, "past the end");
        assertEq(metagraph.neuronCount(77), 0, "unknown subnet");
    }

    function _one64(uint64 a) internal pure returns (uint64[] memory r) {
        r = new uint64[](1);
        r[0] = a;
    }
}
