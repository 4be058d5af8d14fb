// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {Draft, Leaf} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";

/// @notice Fuzzed pots (the keepers' latency before closing) and report totals: totals beyond any of the pot's
/// bounds are always refused with the first bound they break; totals within always finalise, and every rao of the
/// pot ends up credited, burned, recycled or claimable, and the claims then pay exactly the incentive.
contract EpochSettlementFuzzTest is SettlementBase {
    struct Totals {
        uint256 incentive;
        uint256 burned;
        uint256 alpha;
        uint256 root;
    }

    /// @dev What the pools hold of a settlement's payouts: the five hotkeys' pools (vested and vesting) and the
    /// root stakers' debt.
    struct Holdings {
        uint256 pools;
        uint256 rootOwed;
        uint256 unowned;
        uint256 issuance;
        uint256 owed;
    }

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        _enableRootShare();
        _stake(alice, V1, netuid, 20 * TAO);
        _settleEmpty(netuid);
    }

    /// @dev seeds: incentive, burned, alpha dividends, root dividends, and how they split between two uids.
    function testFuzz_totalsAgainstThePot(uint256 latency, uint256 mode, uint256[5] memory seeds) public {
        vm.roll(_dueBlock(netuid) + _bound(latency, 0, 300));
        uint32 epoch = settlement.closeEpoch(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        Totals memory t = _totals(pot, mode, seeds);
        Draft memory d = _split(epoch, t, seeds[4]);
        bytes memory rejection = _expectedRejection(pot, t);
        if (rejection.length != 0) _checkRefused(d, rejection);
        else _checkSettled(d, pot, t);
    }

    function _checkRefused(Draft memory d, bytes memory rejection) internal {
        bytes[] memory sigs = _quorumSignatures(d.report);
        vm.expectRevert(rejection);
        settlement.submitReport(d.report, sigs);
        assertEq(uint256(_record(netuid, d.report.epoch).status), uint256(IEpochSettlement.Status.Closed), "open");
    }

    function _checkSettled(Draft memory d, IAlphaPoolsTypes.PendingEmission memory pot, Totals memory t) internal {
        _submit(d);
        Holdings memory h0 = _holdings();
        _finalise(d);
        Holdings memory h1 = _holdings();
        uint256 credited = (h1.pools - h0.pools) + (h1.rootOwed - h0.rootOwed);
        uint256 burned = h1.unowned - h0.unowned;
        uint256 recycled = h0.issuance - h1.issuance;
        assertEq(credited, pot.ownerCutAlphaRao + t.alpha + t.root, "credited: owner cut and dividends");
        assertEq(burned, t.burned, "burned");
        assertEq(h1.owed, t.incentive, "claimable: the incentive");
        assertEq(credited + burned + recycled + h1.owed, _potTotal(pot), "credited + burned + recycled + claimable");

        _claim(d, 0);
        _claim(d, 1);
        Holdings memory h2 = _holdings();
        assertEq(h2.pools - h1.pools, t.incentive, "claims pay the incentive");
        assertEq(h2.owed, 0, "nothing left owed");
        assertLe((h2.pools - h0.pools) + (h2.rootOwed - h0.rootOwed), _potTotal(pot), "credited within the pot");
    }

    /// @dev Claims in any order pay each leaf once, and in total never more than the declared incentive, whatever
    /// the (quorum-signed) tree holds.
    function testFuzz_claimsNeverExceedTheDeclaredIncentive(
        uint256 m1Seed,
        uint256 m2Seed,
        uint256 declaredSeed,
        uint256 order
    ) public {
        uint32 epoch = _close(netuid);
        uint256 server = _pot(netuid, epoch).serverAlphaRao;
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = _leaf(uidM1, M1, _bound(m1Seed, 0, server), 0, 0);
        leaves[1] = _leaf(uidM2, M2, _bound(m2Seed, 0, server), 0, 0);
        Draft memory d = _draft(netuid, epoch, leaves, new IEpochSettlement.ValidatorPayout[](0));
        uint256 declared = _bound(declaredSeed, 0, server);
        d.report.incentiveAlphaRao = uint64(declared);
        _submit(d);
        _finalise(d);

        uint256 claimed;
        bool[2] memory paid; // kept here, not read back from the contract
        for (uint256 k; k < 4; ++k) {
            uint256 i = (order >> k) & 1;
            uint256 amount = d.leaves[i].incentiveAlphaRao;
            if (paid[i]) {
                vm.expectRevert(
                    abi.encodeWithSelector(IEpochSettlement.AlreadyClaimed.selector, netuid, epoch, d.leaves[i].uid)
                );
            } else if (claimed + amount > declared) {
                vm.expectRevert(
                    abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, amount, declared - claimed)
                );
            } else {
                (claimed, paid[i]) = (claimed + amount, true);
            }
            _claim(d, i);
            assertTrue(settlement.isClaimed(netuid, _gen(netuid), epoch, d.leaves[i].uid) == paid[i], "claimed flag");
        }
        assertLe(claimed, declared, "within the declared incentive");
        assertEq(_claimable(netuid, epoch), declared - claimed, "the budget left");
        assertEq(
            pools.getStake(M1, ck(miner1), netuid) + pools.getStake(M2, ck(carol), netuid),
            claimed,
            "the miners hold what was claimed"
        );
        assertEq(_settlementOwed(netuid), declared - claimed, "the rest stays owed");
    }

    /// @dev A uid's two flags (dividends paid at finalisation, leaf claimed) share a word with 127 other uids' flags:
    /// setting one, for any uids, changes no other flag, and a uid paid at finalisation is still claimed once.
    function testFuzz_uidFlagsAreIndependent(uint16 uidA, uint16 uidB) public {
        vm.assume(uidA != uidB);
        uint32 epoch = _close(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        Leaf[] memory leaves = new Leaf[](2);
        // Leaves may carry any uid: the report is quorum-signed, and a claim pays the leaf's hotkey.
        leaves[0] = _leaf(uidA, M1, pot.serverAlphaRao / 4, 0, 0);
        leaves[1] = _leaf(uidB, M2, pot.serverAlphaRao / 4, 0, 0);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](1);
        validators[0] = _payout(V2, uidV2, pot.validatorAlphaRao / 4, 0);
        Draft memory d = _draft(netuid, epoch, leaves, validators);
        _submit(d);
        _finalise(d);

        uint32 gen = _gen(netuid);
        uint16[3] memory uids = [uidA, uidB, uidV2];
        bool[3] memory claimed;
        for (uint256 step; step < 3; ++step) {
            if (step > 0) {
                _claim(d, step - 1);
                claimed[step - 1] = true;
            }
            for (uint256 i; i < 3; ++i) {
                uint16 uid = uids[i];
                bool expectClaimed = (uid == uidA && claimed[0]) || (uid == uidB && claimed[1]);
                assertTrue(settlement.isClaimed(netuid, gen, epoch, uid) == expectClaimed, "claimed flag");
                assertTrue(settlement.isPaidAtFinalisation(netuid, gen, epoch, uid) == (uid == uidV2), "paid flag");
            }
        }
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.AlreadyClaimed.selector, netuid, epoch, uidA));
        _claim(d, 0);
        assertEq(_settlementOwed(netuid), 0, "both leaves paid once");
    }

    /// @dev Dividends spread over the four uids, a random part of them paid at finalisation (the list), the rest
    /// claimed with the leaves in a random order: finalisation and the claims together credit exactly the report
    /// (owner cut, incentive, every dividend), the budget ends at zero, and the pot is accounted for to the rao.
    function testFuzz_dividendsOutsideTheListAreClaimed(
        uint256 listMask,
        uint256 order,
        uint256[4] memory seeds
    ) public {
        uint32 epoch = _close(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        bytes32[4] memory hotkeys = [V1, V2, M1, M2];
        uint16[4] memory uids = [uidV1, uidV2, uidM1, uidM2];
        Leaf[] memory leaves = new Leaf[](4);
        uint256 alphaLeft = pot.validatorAlphaRao;
        uint256 rootLeft = pot.rootAlphaRao;
        uint256 serverLeft = pot.serverAlphaRao;
        for (uint256 i; i < 4; ++i) {
            uint256 alpha = _bound(seeds[i], 0, alphaLeft / 2);
            uint256 root = _bound(seeds[i] >> 64, 0, rootLeft / 2);
            uint256 incentive = i >= 2 ? _bound(seeds[i] >> 128, 0, serverLeft / 2) : 0;
            (alphaLeft, rootLeft, serverLeft) = (alphaLeft - alpha, rootLeft - root, serverLeft - incentive);
            leaves[i] = _leaf(uids[i], hotkeys[i], incentive, alpha, root);
        }
        uint256 listed;
        for (uint256 i; i < 4; ++i) if ((listMask >> i) & 1 == 1) ++listed;
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](listed);
        uint256 k;
        for (uint256 i; i < 4; ++i) {
            if ((listMask >> i) & 1 == 0) continue;
            Leaf memory l = leaves[i];
            validators[k++] = _payout(l.hotkey, l.uid, l.alphaDividendAlphaRao, l.rootDividendAlphaRao);
        }
        Draft memory d = _draft(netuid, epoch, leaves, validators);
        IEpochSettlement.Report memory r = d.report;
        _submit(d);
        Holdings memory h0 = _holdings();
        _finalise(d);
        uint256 unlisted;
        for (uint256 i; i < 4; ++i) {
            if ((listMask >> i) & 1 == 0)
                unlisted += uint256(leaves[i].alphaDividendAlphaRao) + leaves[i].rootDividendAlphaRao;
        }
        assertEq(_claimable(netuid, epoch), uint256(r.incentiveAlphaRao) + unlisted, "claimable at finalisation");
        assertEq(_settlementOwed(netuid), _claimable(netuid, epoch), "owed = claimable");

        // the four leaves in an order picked by `order` (a rotation and a direction)
        for (uint256 j; j < 4; ++j) {
            uint256 i = (order & 4 == 0) ? (j + order) % 4 : (4 + (order % 4) - j) % 4;
            Leaf memory l = leaves[i];
            uint256 before = _claimable(netuid, epoch);
            _claim(d, i);
            uint256 spent =
                uint256(l.incentiveAlphaRao) +
                    ((listMask >> i) & 1 == 0 ? uint256(l.alphaDividendAlphaRao) + l.rootDividendAlphaRao : 0);
            assertEq(before - _claimable(netuid, epoch), spent, "a claim spends its leaf's due");
        }
        Holdings memory h2 = _holdings();
        assertEq(_claimable(netuid, epoch), 0, "the budget spent");
        assertEq(h2.owed, 0, "nothing owed");
        assertEq(
            (h2.pools - h0.pools) + (h2.rootOwed - h0.rootOwed),
            pot.ownerCutAlphaRao + r.incentiveAlphaRao + r.alphaDividendsAlphaRao + r.rootDividendsAlphaRao,
            "credited: owner cut, incentive and every dividend"
        );
        assertEq(
            (h2.pools - h0.pools) +
                (h2.rootOwed - h0.rootOwed) +
                (h2.unowned - h0.unowned) +
                (h0.issuance - h2.issuance),
            _potTotal(pot),
            "the pot to the rao"
        );
    }

    /// @dev A report signed for this chain is refused on any other chain id.
    function testFuzz_replayOnAnyOtherChain(uint256 chainId) public {
        chainId = _bound(chainId, 1, type(uint64).max);
        vm.assume(chainId != homeChainId);
        uint32 epoch = _close(netuid);
        Draft memory d = _emptyDraft(netuid, epoch);
        bytes[] memory sigs = _quorumSignatures(d.report);
        svm.chainId(chainId);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.WrongChain.selector, homeChainId, chainId));
        settlement.submitReport(d.report, sigs);
    }

    /* HELPERS */

    /// @dev Half the time totals that fit the pot by construction (shares of each bucket), otherwise free totals
    /// around the pot's size, which break a bound about as often as not.
    function _totals(
        IAlphaPoolsTypes.PendingEmission memory pot,
        uint256 mode,
        uint256[5] memory seeds
    ) internal pure returns (Totals memory t) {
        if (mode % 2 == 0) {
            t.incentive = _bound(seeds[0], 0, pot.serverAlphaRao);
            t.burned = _bound(seeds[1], 0, pot.serverAlphaRao - t.incentive);
            uint256 validatorPot = pot.validatorAlphaRao + (t.incentive + t.burned == 0 ? pot.serverAlphaRao : 0);
            t.alpha = _bound(seeds[2], 0, validatorPot);
            t.root = _bound(seeds[3], 0, pot.rootAlphaRao);
        } else {
            uint256 distributable = _distributable(pot);
            t.incentive = (mode >> 1) % 3 == 0 ? 0 : _bound(seeds[0], 0, distributable);
            t.burned = (mode >> 3) % 3 == 0 ? 0 : _bound(seeds[1], 0, pot.serverAlphaRao / 4);
            t.alpha = _bound(seeds[2], 0, pot.validatorAlphaRao + pot.serverAlphaRao + 1);
            t.root = _bound(seeds[3], 0, pot.rootAlphaRao + 2);
        }
    }

    /// @dev The revert a report with these totals must meet, written from the documented bounds, in their order.
    function _expectedRejection(
        IAlphaPoolsTypes.PendingEmission memory pot,
        Totals memory t
    ) internal pure returns (bytes memory) {
        uint256 distributable = _distributable(pot);
        uint256 total = t.incentive + t.burned + t.alpha + t.root;
        bytes4 selector = IEpochSettlement.TotalsAbovePot.selector;
        if (total > distributable) return abi.encodeWithSelector(selector, total, distributable);
        if (t.root > pot.rootAlphaRao) return abi.encodeWithSelector(selector, t.root, pot.rootAlphaRao);
        uint256 validatorPot = pot.validatorAlphaRao + (t.incentive + t.burned == 0 ? pot.serverAlphaRao : 0);
        if (t.alpha > validatorPot) return abi.encodeWithSelector(selector, t.alpha, validatorPot);
        return "";
    }

    /// @dev The totals split over M1/M2 and V1/V2 by `seed`.
    function _split(uint32 epoch, Totals memory t, uint256 seed) internal view returns (Draft memory d) {
        uint256 m1 = _bound(seed, 0, t.incentive);
        uint256 a1 = _bound(seed >> 64, 0, t.alpha);
        uint256 r1 = _bound(seed >> 128, 0, t.root);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](2);
        validators[0] = _payout(V1, uidV1, a1, r1);
        validators[1] = _payout(V2, uidV2, t.alpha - a1, t.root - r1);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = _leaf(uidM1, M1, m1, 0, 0);
        leaves[1] = _leaf(uidM2, M2, t.incentive - m1, 0, 0);
        d = _draft(netuid, epoch, leaves, validators);
        d.report.burnedIncentiveAlphaRao = uint64(t.burned);
    }

    function _holdings() internal view returns (Holdings memory h) {
        bytes32[5] memory hotkeys = [OWNER1_HOTKEY, V1, V2, M1, M2];
        for (uint256 i; i < hotkeys.length; ++i) {
            IAlphaPoolsTypes.HotkeyPool memory p = pools.hotkeyPool(hotkeys[i], netuid);
            h.pools += uint256(p.alphaRao) + p.unvestedAlphaRao;
        }
        h.rootOwed = _rootOwed(netuid);
        h.unowned = _unownedAlpha(netuid);
        h.issuance = _books(netuid).alphaIssuanceRao;
        h.owed = _settlementOwed(netuid);
    }
}
