// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {EpochSettlement} from "../../../contracts/model/EpochSettlement.sol";
import {Draft, Leaf} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";

/// @notice Closing epochs (due blocks, the pot, the buckets), governance of keepers and quorum, the order of epochs
/// and a reused netuid.
contract EpochSettlementCloseTest is SettlementBase {
    uint256 internal constant TEMPO = 20; // BaseTest's default hyperparameters

    /* DUE BLOCKS */

    function test_close_firstEpochDueATempoAfterTheStartCall() public {
        uint16 net = _openSubnet(owner1, OWNER1_HOTKEY);
        _advance(7);
        vm.prank(owner1);
        registry.startCall(net);
        uint256 startBlock = _blockNumber();
        assertEq(_dueBlock(net), startBlock + TEMPO, "due a tempo after the start call");

        vm.roll(startBlock + TEMPO - 1);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.EpochNotDue.selector, net, startBlock + TEMPO));
        settlement.closeEpoch(net);

        vm.roll(startBlock + TEMPO);
        svm.expectEmit(true, true, false, true, address(settlement));
        emit IEpochSettlement.CloseEpoch(net, 1, 1, _blockNumber());
        assertEq(settlement.closeEpoch(net), 1, "first epoch");
        IEpochSettlement.EpochRecord memory rec = _record(net, 1);
        assertEq(uint256(rec.status), uint256(IEpochSettlement.Status.Closed), "closed");
        assertEq(rec.snapshotBlock, _blockNumber(), "snapshot block");
        (uint32 generation, uint32 closed, uint32 finalised, uint256 due) = settlement.progress(net);
        assertEq(generation, 1, "generation");
        assertEq(closed, 1, "closed epoch");
        assertEq(finalised, 0, "finalised epoch");
        assertEq(due, _blockNumber() + TEMPO, "next due");
    }

    /// @dev The keepers' latency (a late close, a slow report) never moves the schedule: the next epoch is due a
    /// tempo after the last snapshot block.
    function test_close_nextEpochDueATempoAfterTheLastSnapshot() public {
        _openEconomy();
        vm.roll(_dueBlock(netuid) + 7); // a late close
        settlement.closeEpoch(netuid);
        uint256 snapshot1 = _blockNumber();
        _advance(13); // a slow report
        Draft memory d = _emptyDraft(netuid, 1);
        _submit(d);
        _finalise(d);
        assertEq(_dueBlock(netuid), snapshot1 + TEMPO, "due from the snapshot, not the finalisation");

        vm.roll(snapshot1 + TEMPO - 1);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.EpochNotDue.selector, netuid, snapshot1 + TEMPO));
        settlement.closeEpoch(netuid);
        vm.roll(snapshot1 + TEMPO);
        assertEq(settlement.closeEpoch(netuid), 2, "second epoch on time");
        assertEq(_record(netuid, 2).snapshotBlock, snapshot1 + TEMPO, "snapshot 2");
        assertEq(_dueBlock(netuid), snapshot1 + 2 * TEMPO, "third due");
    }

    /// @dev A tempo changed by the owner applies from the last snapshot.
    function test_close_dueBlockFollowsTheCurrentTempo() public {
        _openEconomy();
        _settleEmpty(netuid);
        uint256 snapshot = _record(netuid, 1).snapshotBlock;
        ISubnetRegistry.Hyperparameters memory hp = _hp(netuid);
        hp.tempo = 35;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        assertEq(_dueBlock(netuid), snapshot + 35, "due with the new tempo");
        vm.roll(snapshot + 34);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.EpochNotDue.selector, netuid, snapshot + 35));
        settlement.closeEpoch(netuid);
    }

    function test_close_revertsWithoutTheStartCall() public {
        uint16 net = _openSubnet(owner1, OWNER1_HOTKEY);
        _advance(100);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.SubtokenDisabled.selector, net));
        settlement.closeEpoch(net);
        // an unregistered netuid and root have no subtoken either
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.SubtokenDisabled.selector, uint16(9)));
        settlement.closeEpoch(9);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.SubtokenDisabled.selector, uint16(0)));
        settlement.closeEpoch(0);
        (, , , uint256 due) = settlement.progress(net);
        assertEq(due, 0, "no due block before the start call");
    }

    function test_close_revertsWhileThePreviousEpochIsOpen() public {
        _openEconomy();
        _close(netuid);
        _advance(3 * TEMPO);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.PreviousEpochOpen.selector, netuid, uint32(1)));
        settlement.closeEpoch(netuid);

        Draft memory d = _emptyDraft(netuid, 1);
        _submit(d); // submitted is still open
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.PreviousEpochOpen.selector, netuid, uint32(1)));
        settlement.closeEpoch(netuid);

        _finalise(d);
        assertEq(settlement.closeEpoch(netuid), 2, "closes once the previous is finalised");
    }

    /* THE POT */

    /// @dev With the root sell flag on, the pot is the pending alpha split exactly as the pools split it (owner
    /// cut 11,796/65,535 of the total, miners half of the rest, the root part, validators the remainder); the
    /// buckets are emptied and the settlement owes the pot.
    function test_close_potIsThePendingSplitExactly() public {
        _openEconomy();
        _enableRootShare();
        _settleEmpty(netuid); // the next epoch accrues with the flag on throughout
        _rollToDue(netuid);
        pools.poke(netuid); // caught up in this block: closing adds nothing more
        IAlphaPoolsTypes.Books memory before = _books(netuid);
        uint256 owedBefore = _settlementOwed(netuid);
        assertEq(before.pendingRecycledRootAlphaRao, 0, "flag on: nothing recycled");

        uint32 epoch = settlement.closeEpoch(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        uint256 total = before.pendingAlphaOutRao;
        uint256 ownerCut = (total * 11_796) / 65_535;
        uint256 server = (total - ownerCut) / 2;
        assertEq(pot.ownerCutAlphaRao, ownerCut, "owner cut");
        assertEq(pot.serverAlphaRao, server, "server");
        assertEq(pot.rootAlphaRao, before.pendingRootAlphaRao, "root");
        assertEq(pot.validatorAlphaRao, total - ownerCut - server - before.pendingRootAlphaRao, "validators");
        assertEq(_potTotal(pot), total, "the pot is all the pending alpha");
        assertGt(pot.rootAlphaRao, 0, "a root part");
        assertGt(pot.validatorAlphaRao, 0, "an alpha part");

        IAlphaPoolsTypes.Books memory afterClose = _books(netuid);
        assertEq(afterClose.pendingAlphaOutRao, 0, "pending alpha zeroed");
        assertEq(afterClose.pendingRootAlphaRao, 0, "pending root zeroed");
        assertEq(afterClose.pendingRecycledRootAlphaRao, 0, "pending recycled root zeroed");
        assertEq(afterClose.alphaIssuanceRao, before.alphaIssuanceRao, "issuance unchanged");
        assertEq(_settlementOwed(netuid), owedBefore + total, "the settlement owes the pot");
    }

    /// @dev With the root sell flag off the root part was recycled during the catch-up: it is in no bucket of the pot.
    function test_close_potWithoutRootSellFlag() public {
        _openEconomy();
        _stake(bob, V1, 0, 1_000 * TAO); // root stake: a root proportion, but one subnet cannot raise the flag
        _rollToDue(netuid);
        pools.poke(netuid);
        IAlphaPoolsTypes.Books memory before = _books(netuid);
        assertGt(before.pendingRecycledRootAlphaRao, 0, "a recycled root part");
        assertEq(before.pendingRootAlphaRao, 0, "no root part");

        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, settlement.closeEpoch(netuid));
        uint256 total = before.pendingAlphaOutRao;
        uint256 ownerCut = (total * 11_796) / 65_535;
        uint256 server = (total - ownerCut) / 2;
        assertEq(pot.ownerCutAlphaRao, ownerCut, "owner cut");
        assertEq(pot.serverAlphaRao, server, "server");
        assertEq(pot.rootAlphaRao, 0, "root");
        assertEq(
            pot.validatorAlphaRao,
            total - ownerCut - server - before.pendingRecycledRootAlphaRao,
            "validators without the recycled part"
        );
        assertEq(_settlementOwed(netuid), _potTotal(pot), "owed");
        assertEq(_books(netuid).pendingRecycledRootAlphaRao, 0, "zeroed");
    }

    /// @dev Closing catches the subnet up itself: the pot covers every block up to the snapshot.
    function test_close_catchesUpToTheSnapshot() public {
        _openEconomy();
        uint256 start = pools.subnetConfig(netuid).firstEmissionBlock;
        IAlphaPoolsTypes.Books memory before = _books(netuid); // pending since the start, stored at registrations
        (IAlphaPoolsTypes.Pool memory p, , ) = pools.storedSubnet(netuid);
        uint256 accruedTo = p.lastAccrualBlock;
        _rollToDue(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, settlement.closeEpoch(netuid));
        // 1 alpha per block before the first halving: what was stored plus one per block since
        assertEq(_potTotal(pot), before.pendingAlphaOutRao + (_blockNumber() - accruedTo) * TAO, "every block");
        assertEq(_potTotal(pot), (_blockNumber() - start + 1) * TAO, "since the first emission block");
        (p, , ) = pools.storedSubnet(netuid);
        assertEq(p.lastAccrualBlock, _blockNumber(), "caught up");
    }

    /* ORDER OF EPOCHS */

    function test_epochs_increaseByOne() public {
        _openEconomy();
        uint256 lastSnapshot;
        for (uint32 e = 1; e <= 4; ++e) {
            _advance(e); // latency that varies
            assertEq(_settleEmpty(netuid), e, "next epoch");
            uint256 snapshot = _record(netuid, e).snapshotBlock;
            assertGt(snapshot, lastSnapshot, "snapshots increase");
            lastSnapshot = snapshot;
            (, uint32 closed, uint32 finalised, ) = settlement.progress(netuid);
            assertEq(closed, e, "closed");
            assertEq(finalised, e, "finalised");
        }
    }

    /// @dev Epochs are counted per subnet.
    function test_epochs_perNetuid() public {
        _openEconomy();
        uint16 other = _openEmittingSubnet(owner2, OWNER2_HOTKEY);
        _settleEmpty(netuid);
        _settleEmpty(netuid);
        assertEq(_settleEmpty(other), 1, "the other subnet starts at 1");
        (, uint32 closed, , ) = settlement.progress(netuid);
        assertEq(closed, 2, "unchanged");
    }

    /// @dev A pruned netuid registered again is another subnet: epochs restart at 1, the pot holds only the new
    /// subnet's emission, and nothing of the old instance (open epoch, unclaimed incentive, reports, proofs) reaches
    /// it.
    function test_reusedNetuid_startsAtEpochOneWithNoLeftovers() public {
        // two older subnets, so that the economy (the youngest) has the lowest moving price when pruned
        _openEmittingSubnet(owner2, OWNER2_HOTKEY);
        _advance(200);
        _openEmittingSubnet(owner3, OWNER3_HOTKEY);
        _advance(200);
        _openEconomy();
        uint32 epoch1 = _close(netuid);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = _leaf(uidM1, M1, _pot(netuid, epoch1).serverAlphaRao / 2, 0, 0);
        leaves[1] = _leaf(uidM2, M2, _pot(netuid, epoch1).serverAlphaRao / 4, 0, 0);
        Draft memory old1 = _draft(netuid, epoch1, leaves, new IEpochSettlement.ValidatorPayout[](0));
        _submit(old1);
        _finalise(old1); // unclaimed incentive stays owed
        uint32 epoch2 = _close(netuid); // left open
        Draft memory old2 = _emptyDraft(netuid, epoch2);
        assertGt(_settlementOwed(netuid), 0, "the old instance owes alpha");

        _advance(60); // past the network immunity
        (uint16 candidate, ) = registry.pruneCandidate();
        assertEq(candidate, netuid, "the economy is pruned");
        bytes32 aliceHotkey = _hotkey(address(0xA11F), alice);
        assertEq(_openSubnet(alice, aliceHotkey), netuid, "netuid reused");
        assertEq(_gen(netuid), 2, "second generation");
        (uint32 generation, uint32 closed, uint32 finalised, uint256 due) = settlement.progress(netuid);
        assertEq(generation, 2, "progress of the new instance");
        assertEq(closed, 0, "nothing closed");
        assertEq(finalised, 0, "nothing finalised");
        assertEq(due, 0, "not started");
        assertEq(_settlementOwed(netuid), 0, "the new instance owes nothing");

        // the old instance's report is refused
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongSubnet.selector, netuid, uint32(1), uint32(2)));
        settlement.submitReport(old2.report, _quorumSignatures(old2.report));

        vm.prank(alice);
        registry.startCall(netuid);
        uint256 startBlock = _blockNumber();
        vm.roll(startBlock + TEMPO);
        assertEq(settlement.closeEpoch(netuid), 1, "epoch 1 again");
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, 1);
        assertEq(_potTotal(pot), TEMPO * TAO, "only the new subnet's emission");
        assertEq(_settlementOwed(netuid), TEMPO * TAO, "owed: this pot only");
        // the old records stay under the old generation
        assertEq(
            uint256(settlement.epochRecord(netuid, 1, epoch2).status),
            uint256(IEpochSettlement.Status.Closed),
            "old epoch 2 untouched"
        );

        // an old proof does not claim in the new instance: first not finalised, then another root
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                uint32(1),
                IEpochSettlement.Status.Closed
            )
        );
        _claim(old1, 0);
        Draft memory fresh = _emptyDraft(netuid, 1);
        _submit(fresh);
        _finalise(fresh);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, uint32(1), uidM1));
        _claim(old1, 0);
    }

    /* GOVERNANCE */

    function test_governance_constructorState() public view {
        assertEq(settlement.keeperCount(), 3, "keepers");
        assertEq(settlement.quorum(), QUORUM, "quorum");
        assertEq(settlement.challengeWindowBlocks(), 0, "window");
        for (uint256 i; i < keepers.length; ++i) assertTrue(settlement.isKeeper(keepers[i]), "keeper");
        assertTrue(!settlement.isKeeper(svm.addr(OUTSIDER_PK)), "outsider");
        assertTrue(settlement.hasRole(settlement.DEFAULT_ADMIN_ROLE(), admin), "admin");
        assertTrue(settlement.hasRole(settlement.GUARDIAN_ROLE(), admin), "admin guards");
        assertTrue(settlement.hasRole(settlement.GUARDIAN_ROLE(), guardian), "guardian");
        assertEq(address(settlement.POOLS()), address(pools), "pools");
        assertEq(address(settlement.REGISTRY()), address(registry), "registry");
        assertEq(address(settlement.METAGRAPH()), address(metagraph), "metagraph");
        assertEq(address(settlement.ROOT_DIVIDENDS()), address(rootDividends), "root dividends");
    }

    function test_governance_onlyAdmin() public {
        bytes32 adminRole = settlement.DEFAULT_ADMIN_ROLE();
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            stranger,
            adminRole
        );
        vm.prank(stranger);
        vm.expectRevert(denied);
        settlement.setKeeper(stranger, true);
        vm.prank(stranger);
        vm.expectRevert(denied);
        settlement.setQuorum(1);
        vm.prank(stranger);
        vm.expectRevert(denied);
        settlement.setChallengeWindow(10);
        // the guardian is not an admin
        bytes memory guardianDenied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            guardian,
            adminRole
        );
        vm.prank(guardian);
        vm.expectRevert(guardianDenied);
        settlement.setQuorum(1);
    }

    function test_governance_keepersQuorumAndWindow() public {
        address newKeeper = svm.addr(OUTSIDER_PK);
        vm.startPrank(admin);
        svm.expectEmit(true, false, false, true, address(settlement));
        emit IEpochSettlement.SetKeeper(newKeeper, true);
        settlement.setKeeper(newKeeper, true);
        assertEq(settlement.keeperCount(), 4, "added");
        settlement.setKeeper(newKeeper, true); // already a keeper: nothing changes
        assertEq(settlement.keeperCount(), 4, "counted once");

        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(0), uint256(4)));
        settlement.setQuorum(0);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(5), uint256(4)));
        settlement.setQuorum(5);
        settlement.setQuorum(4);
        assertEq(settlement.quorum(), 4, "quorum 4");
        // removing a keeper may not leave the quorum out of reach
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(4), uint256(3)));
        settlement.setKeeper(keepers[0], false);
        settlement.setQuorum(3);
        settlement.setKeeper(keepers[0], false);
        assertEq(settlement.keeperCount(), 3, "removed");
        assertTrue(!settlement.isKeeper(keepers[0]), "no longer a keeper");

        svm.expectEmit(false, false, false, true, address(settlement));
        emit IEpochSettlement.SetChallengeWindow(12);
        settlement.setChallengeWindow(12);
        assertEq(settlement.challengeWindowBlocks(), 12, "window");
        vm.stopPrank();
    }

    function test_governance_constructorRejectsAnUnreachableQuorum() public {
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(4), uint256(3)));
        new EpochSettlement(admin, pools, registry, metagraph, rootDividends, 0, keepers, 4);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(0), uint256(3)));
        new EpochSettlement(admin, pools, registry, metagraph, rootDividends, 0, keepers, 0);
    }

    /// @dev Regression: deployed without keepers but with a quorum, the settlement could never get keepers (each
    /// added keeper left the quorum out of reach, and the quorum could not be lowered below it with no keeper):
    /// the constructor refuses a quorum above the keepers it is given, as `setQuorum` does.
    function test_regression_constructorRefusesAQuorumWithoutKeepers() public {
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidQuorum.selector, uint256(2), uint256(0)));
        new EpochSettlement(admin, pools, registry, metagraph, rootDividends, 0, new address[](0), 2);
    }

    /// @dev A settlement deployed without keepers (as the deployment module's defaults do) is set up afterwards.
    function test_governance_keepersAddedAfterDeployment() public {
        EpochSettlement s = new EpochSettlement(
            admin,
            pools,
            registry,
            metagraph,
            rootDividends,
            0,
            new address[](0),
            0
        );
        vm.startPrank(admin);
        for (uint256 i; i < keepers.length; ++i) s.setKeeper(keepers[i], true);
        s.setQuorum(2);
        vm.stopPrank();
        assertEq(s.keeperCount(), 3, "keepers");
        assertEq(s.quorum(), 2, "quorum");
    }

    /* HELPERS */

    function _hp(uint16 net) internal view returns (ISubnetRegistry.Hyperparameters memory) {
        return registry.hyperparameters(net);
    }
}
