// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";

import {Attacker} from "./Attacker.sol";
import {SecurityBase} from "./SecurityBase.sol";

/// @notice Findings 3, 4 and 6, and the permit quicksort: validator permits, hotkey ownership and commit-reveal.
contract RegressionMetagraphTest is SecurityBase {
    uint16 internal netuid;
    bytes32 internal v1;
    bytes32 internal v2;
    uint16 internal uid1;
    uint16 internal uid2;

    function setUp() public override {
        super.setUp();
        netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        v1 = _hotkey(validator1, validator1);
        v2 = _hotkey(validator2, validator2);
        uid1 = _registerNeuron(netuid, validator1, v1);
        uid2 = _registerNeuron(netuid, validator2, v2);
        _stake(alice, v1, netuid, 10 * TAO);
        _stake(bob, v2, netuid, 10 * TAO);
    }

    function _permitWord() internal view returns (uint256 word) {
        uint16 n = metagraph.neuronCount(netuid);
        for (uint16 uid; uid < n; ++uid) if (metagraph.hasValidatorPermit(netuid, uid)) word |= 1 << uid;
    }

    function _setPermits(uint256 word) internal {
        uint256[] memory words = new uint256[](1);
        words[0] = word;
        uint32 generation = _generation(netuid);
        vm.prank(settler);
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, words);
    }

    function _u16(uint16 a) internal pure returns (uint16[] memory l) {
        l = new uint16[](1);
        l[0] = a;
    }

    function _u16(uint16 a, uint16 b) internal pure returns (uint16[] memory l) {
        l = new uint16[](2);
        (l[0], l[1]) = (a, b);
    }

    /// @dev The old entry point, called by selector: no contract of the model answers it (no fallback either).
    function _assertNoPermitUpdateEntry(address target) internal {
        (bool ok, bytes memory ret) = target.call(abi.encodeWithSignature("updateValidatorPermits(uint16)", netuid));
        assertTrue(!ok, "updateValidatorPermits does not exist");
        assertEq(ret.length, 0, "no function matched the selector");
    }

    /* FINDING 3: VALIDATOR PERMITS WITH A FLASH STAKE */

    /// @dev The old attack: 60 TAO of flash capital on the attacker's own neuron, then the permissionless
    /// `updateValidatorPermits`, stripped three honest validators of their permits for 0.05 TAO of fees. Now the
    /// entry point is gone; the attacker's contract (a registered neuron) stakes 1,000 TAO on its own hotkey (100×
    /// either honest validator's stake), calls the permissionless functions of the pools, the metagraph, the
    /// registry and root dividends, tries to set weights on others, and unstakes, all in one transaction: the permits
    /// stay as the epoch set them, and only the settler can write them.
    function test_Regression_FlashStakePermits_noPermissionlessCallChangesPermits() public {
        // The epoch's permits: the owner (uid 0) and the two honest validators.
        _setPermits(0x7);
        Attacker attacker = _newAttacker(10_000 * TAO);
        bytes32 attackerHotkey = pools.coldkeyOf(address(attacker));
        uint256 burn = metagraph.burnCost(netuid);
        bytes[] memory registered = attacker.execute(
            _calls(
                _call(
                    address(metagraph),
                    burn,
                    abi.encodeCall(IMetagraph.burnedRegister, (netuid, attackerHotkey, burn))
                )
            )
        );
        uint16 attackerUid = abi.decode(registered[0], (uint16));
        assertEq(attackerUid, 3, "the attacker's neuron");
        assertEq(_permitWord(), 0x7, "registration gives no permit");

        for (uint256 i; i < 3; ++i) {
            address target =
                i == 0
                    ? address(metagraph)
                    : i == 1
                        ? address(pools)
                        : address(registry);
            _assertNoPermitUpdateEntry(target);
        }

        // The flash stake with every permissionless call the attacker can make in between.
        uint256 balanceBefore = address(attacker).balance;
        _advance(NETWORK_RATE_LIMIT);
        uint256 lock = registry.lockCost();
        Attacker.Call[] memory calls = new Attacker.Call[](10);
        calls[0] = _call(
            address(pools),
            1_000 * TAO,
            abi.encodeCall(IAlphaPools.addStake, (attackerHotkey, netuid, 0, NO_DEADLINE))
        );
        calls[1] = _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (netuid)));
        calls[2] = _call(
            address(metagraph),
            0,
            abi.encodeCall(IMetagraph.setWeights, (netuid, _u16(attackerUid), _u16(1), 0))
        );
        calls[3] = _call(address(metagraph), 0, abi.encodeCall(IMetagraph.decreaseTake, (attackerHotkey, 0)));
        calls[4] = _call(address(pools), 0, abi.encodeCall(IAlphaPools.burnAlpha, (attackerHotkey, netuid, 1e6)));
        calls[5] = _call(
            address(pools),
            0,
            abi.encodeCall(IAlphaPools.moveStake, (attackerHotkey, attackerHotkey, netuid, ROOT, 1e9, 0, NO_DEADLINE))
        );
        // The registry's and root dividends' open entry points too: a subnet of its own, a claim type, a root claim.
        calls[6] = _call(
            address(registry),
            lock,
            abi.encodeCall(ISubnetRegistry.registerNetwork, (attackerHotkey, "flash", lock))
        );
        calls[7] = _call(
            address(rootDividends),
            0,
            abi.encodeCall(IRootDividends.setRootClaimType, (IRootDividends.RootClaimType.Keep))
        );
        calls[8] = _call(
            address(rootDividends),
            0,
            abi.encodeCall(IRootDividends.claimRoot, (attackerHotkey, attackerHotkey, _netuids(netuid)))
        );
        calls[9] = _call(address(pools), 0, abi.encodeCall(IAlphaPools.unstakeAll, (attackerHotkey, 0, NO_DEADLINE)));
        attacker.execute(calls);
        assertEq(_permitWord(), 0x7, "the permits are as the epoch set them");
        assertTrue(!metagraph.hasValidatorPermit(netuid, attackerUid), "the flash stake bought no permit");
        assertEq(pools.hotkeyPool(attackerHotkey, netuid).alphaRao, 0, "the borrowed stake is gone again");
        assertGt(balanceBefore - address(attacker).balance, _wei(lock), "the lock, and the round trip cost fees");

        // Weights on other uids need a permit, even with 1,000 TAO staked in the same transaction.
        _expectAttackReverts(
            attacker,
            _calls(
                _call(
                    address(pools),
                    1_000 * TAO,
                    abi.encodeCall(IAlphaPools.addStake, (attackerHotkey, netuid, 0, NO_DEADLINE))
                ),
                _call(
                    address(metagraph),
                    0,
                    abi.encodeCall(IMetagraph.setWeights, (netuid, _u16(uid1, uid2), _u16(1, 1), 0))
                )
            ),
            abi.encodeWithSelector(IMetagraph.NoValidatorPermit.selector, netuid, attackerUid)
        );

        // Only the settler writes permits.
        uint256[] memory words = new uint256[](1);
        words[0] = 1 << attackerUid;
        _expectAttackReverts(
            attacker,
            _calls(
                _call(
                    address(metagraph),
                    0,
                    abi.encodeCall(
                        IMetagraph.setValidatorPermits,
                        (netuid, _generation(netuid), type(uint256).max, words)
                    )
                )
            ),
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                address(attacker),
                metagraph.SETTLER_ROLE()
            )
        );
        assertEq(_permitWord(), 0x7, "still the epoch's permits");
    }

    /// @dev Each permissionless function of the metagraph, called for real, leaves the permits alone; a replacement
    /// (subtensor's `clear_neuron`) removes the replaced uid's permit and gives the newcomer none.
    function test_Regression_FlashStakePermits_permissionlessMetagraphCallsKeepPermits() public {
        _setPermits(0x7);
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.commitReveal = true;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        vm.prank(validator1);
        metagraph.commitWeights(netuid, keccak256("weights"));
        vm.prank(validator1);
        metagraph.decreaseTake(v1, 1_000);
        _advance(TAKE_RATE_LIMIT + 1);
        vm.prank(validator1);
        metagraph.increaseTake(v1, 2_000);
        vm.prank(carol);
        metagraph.approveHotkeyOwner(ck(alice));
        bytes32 m = _hotkey(miner1, miner1);
        _registerNeuron(netuid, miner1, m);
        assertEq(_permitWord(), 0x7, "no permissionless call changed a permit");

        // Fill the subnet (8 uids) past immunity, then one more registration replaces the weakest non-immune uid.
        for (uint160 i; metagraph.neuronCount(netuid) < 8; ++i) {
            address who = address(uint160(0x9000) + i);
            _registerNeuron(netuid, who, _hotkey(who, who));
        }
        _advance(_defaultHyperparameters().immunityPeriod);
        address newcomer = address(0x9999);
        uint16 uid = _registerNeuron(netuid, newcomer, _hotkey(newcomer, newcomer));
        assertEq(uid, uid1, "the earliest non-immune uid without emission is replaced");
        assertEq(_permitWord(), 0x7 & ~(uint256(1) << uid1), "the replaced uid's permit went with it");
        assertTrue(!metagraph.hasValidatorPermit(netuid, uid), "the newcomer has none");
    }

    /// @dev The quicksort finding: `updateValidatorPermits` sorted on chain, in an order stakers control. Permits are
    /// now an epoch output: no contract has a permissionless permit update, and the settler's write is a bitmap.
    function test_Regression_QuicksortPermits_noPermissionlessPermitUpdate() public {
        _assertNoPermitUpdateEntry(address(metagraph));
        _assertNoPermitUpdateEntry(address(pools));
        _assertNoPermitUpdateEntry(address(registry));
        _assertNoPermitUpdateEntry(address(rootDividends));
        uint256[] memory words = new uint256[](1);
        words[0] = 0x5;
        uint32 generation = _generation(netuid);
        bytes32 settlerRole = metagraph.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, settlerRole)
        );
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, words);
        vm.prank(settler);
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, words);
        assertEq(_permitWord(), 0x5, "the settler's bitmap is the permit set");
        // A bitmap of the wrong size is refused (one word covers 256 uids).
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.PermitWordsMismatch.selector, uint256(2), uint256(1)));
        metagraph.setValidatorPermits(netuid, generation, type(uint256).max, new uint256[](2));
    }

    /* FINDING 4: HOTKEY SQUATTING */

    /// @dev An EVM operator's hotkey is its mapped account, predictable by anyone. The squatter (carol) registering
    /// it first used to become its owner forever. Now registration proves control: the squatter fails on a neuron
    /// registration and on a subnet registration, cannot approve itself in the operator's name, and the operator then
    /// registers its own hotkey (with its own coldkey, or with a cold wallet it approved).
    function test_Regression_HotkeySquatting_needsControlOfTheHotkey() public {
        address operator = address(0x0BE7A70B);
        bytes32 operatorHotkey = pools.coldkeyOf(operator);
        bytes32 squatter = ck(carol);

        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(carol, _wei(1_000 * TAO));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, squatter));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, operatorHotkey, burn);

        _advance(NETWORK_RATE_LIMIT);
        uint256 lock = registry.lockCost();
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, squatter));
        registry.registerNetwork{value: _wei(lock)}(operatorHotkey, "squat", lock);

        // Staking to the unregistered hotkey does not claim it either.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.HotkeyNotRegistered.selector, operatorHotkey));
        pools.addStake{value: _wei(TAO)}(operatorHotkey, netuid, 0, NO_DEADLINE);

        // Approving is done by the hotkey's own account: the squatter's approval names its own hotkey.
        vm.prank(carol);
        metagraph.approveHotkeyOwner(squatter);
        assertEq(metagraph.approvedOwnerOf(operatorHotkey), bytes32(0), "nothing approved for the operator");
        assertEq(metagraph.ownerOf(operatorHotkey), bytes32(0), "the hotkey is still free");

        // The operator approves its cold wallet (bob); only bob can now register the hotkey.
        vm.prank(operator);
        metagraph.approveHotkeyOwner(ck(bob));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, squatter));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, operatorHotkey, burn);
        uint16 uid = _registerNeuron(netuid, bob, operatorHotkey);
        assertEq(metagraph.ownerOf(operatorHotkey), ck(bob), "the approved cold wallet owns it");
        (bool registered, uint16 found) = metagraph.uidOf(netuid, operatorHotkey);
        assertTrue(registered && found == uid, "registered where the operator wanted");

        // Once owned, nobody else can register it anywhere, and the hotkey cannot re-approve someone else.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, operatorHotkey, ck(bob)));
        registry.registerNetwork{value: _wei(lock)}(operatorHotkey, "squat", lock);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, operatorHotkey, ck(bob)));
        metagraph.approveHotkeyOwner(squatter);
    }

    /// @dev The operator needs no approval to register its own account as a hotkey.
    function test_Regression_HotkeySquatting_ownerRegistersItsOwnId() public {
        address operator = address(0x0BE7A70C);
        bytes32 operatorHotkey = pools.coldkeyOf(operator);
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(carol, _wei(burn));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyNotControlled.selector, operatorHotkey, ck(carol)));
        metagraph.burnedRegister{value: _wei(burn)}(netuid, operatorHotkey, burn);
        _registerNeuron(netuid, operator, operatorHotkey);
        assertEq(metagraph.ownerOf(operatorHotkey), operatorHotkey, "its own coldkey owns it");
        // Its incentive and take now belong to it: only it can change its take.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, operatorHotkey, operatorHotkey));
        metagraph.decreaseTake(operatorHotkey, 0);
    }

    /* FINDING 6: A TEMPO CHANGE VOIDING PENDING REVEALS */

    function _commitRevealOn(uint16 tempo) internal {
        ISubnetRegistry.Hyperparameters memory hp = _defaultHyperparameters();
        hp.commitReveal = true;
        hp.tempo = tempo;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
    }

    /// @dev A commit at block B with tempo 20 is revealable in [B + 20, B + 39]. The owner then changes the tempo
    /// (to 10, then in another run to 50): the window stays [B + 20, B + 39], so the reveal neither voids nor moves.
    function test_Regression_TempoChange_revealWindowFixedAtCommit() public {
        _setPermits(0x7);
        _commitRevealOn(20);
        uint16[] memory uids = _u16(uid1, uid2);
        uint16[] memory values = _u16(40_000, 25_535);
        bytes32 salt = keccak256("salt");
        bytes32 hash = keccak256(abi.encode(v1, netuid, uids, values, salt, uint64(0)));
        uint256 committedAt = _now();
        vm.prank(validator1);
        metagraph.commitWeights(netuid, hash);
        IMetagraph.WeightsCommit memory c = metagraph.pendingCommit(netuid, uid1);
        assertEq(c.revealFrom, committedAt + 20, "window opens a tempo later");
        assertEq(c.revealUntil, committedAt + 39, "and lasts one tempo");

        for (uint256 run; run < 2; ++run) {
            uint256 id = _snapshot();
            uint16 newTempo = run == 0 ? 10 : 50;
            _commitRevealOn(newTempo);
            c = metagraph.pendingCommit(netuid, uid1);
            assertEq(c.revealFrom, committedAt + 20, "the tempo change leaves the window's start");
            assertEq(c.revealUntil, committedAt + 39, "and its end");

            // The new tempo's window would open at B + 10: still too early.
            vm.roll(committedAt + 10);
            vm.prank(validator1);
            vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealTooEarly.selector, netuid, uid1, committedAt + 20));
            metagraph.revealWeights(netuid, uids, values, salt, 0);

            uint256 snap = _snapshot();
            // The last block of the window fixed at commit still reveals (under tempo 50 it would be mid-window,
            // under tempo 10 already past).
            vm.roll(committedAt + 39);
            vm.prank(validator1);
            metagraph.revealWeights(netuid, uids, values, salt, 0);
            assertEq(
                metagraph.weightsCommitment(netuid, uid1),
                keccak256(abi.encode(uids, values)),
                "the revealed weights are the validator's"
            );
            _restore(snap);
            vm.roll(committedAt + 40);
            vm.prank(validator1);
            vm.expectRevert(abi.encodeWithSelector(IMetagraph.RevealExpired.selector, netuid, uid1, committedAt + 39));
            metagraph.revealWeights(netuid, uids, values, salt, 0);
            _restore(id);
        }
    }
}
