// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IEpochSettlement} from "../../../contracts/interfaces/IEpochSettlement.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {Draft, Leaf, ReportLib} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";

/// @notice Finalising (the owner cut, each validator's take, vesting dividend and root dividend, burned incentive,
/// permits, miner burn, the recycled remainder) and claiming miners' incentive, with exact amounts.
/// @dev The economy has the root sell flag on and bob's root stake on V1; alice nominates V1; V2's take is 0 and it
/// has no stake of its own, so its dividends go to its owner. Epoch 1 is settled empty: tests pay epoch 2.
contract EpochSettlementPayoutTest is SettlementBase {
    uint256 internal constant TEMPO = 20;
    uint256 internal constant ROOT_RATE_SCALE = 1e36;

    /// @dev What finalisation and claims change, read before and after.
    struct Books {
        uint256 ownerStake;
        IAlphaPoolsTypes.HotkeyPool v1Pool;
        uint256 v1OwnerStake;
        uint256 aliceStake;
        IAlphaPoolsTypes.HotkeyPool v2Pool;
        uint256 v2OwnerStake;
        uint256 settlementOwed;
        uint256 rootOwed;
        uint256 bobRootClaimable;
        uint256 unowned;
        uint256 issuance;
    }

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        _enableRootShare();
        vm.prank(validator2);
        metagraph.decreaseTake(V2, 0);
        _stake(alice, V1, netuid, 50 * TAO);
        _settleEmpty(netuid);
    }

    /* FINALISE: EXACT CREDITS */

    /// @dev The standard report of the next epoch, finalised, with what the pools held before and after.
    struct Outcome {
        Draft d;
        IAlphaPoolsTypes.PendingEmission pot;
        Books b0;
        Books b1;
        uint256 recycled;
    }

    /// @dev Closes, submits and finalises the standard split, checking the FinaliseEpoch event on the way.
    function _payStandard() internal returns (Outcome memory o) {
        uint32 epoch = _close(netuid);
        o.pot = _pot(netuid, epoch);
        assertGt(o.pot.rootAlphaRao, 0, "a root bucket");
        o.d = _standardDraft(epoch);
        _submit(o.d);
        o.b0 = _read();
        IEpochSettlement.Report memory r = o.d.report;
        uint256 paid = uint256(r.alphaDividendsAlphaRao) + r.rootDividendsAlphaRao;
        o.recycled = _distributable(o.pot) - r.incentiveAlphaRao - r.burnedIncentiveAlphaRao - paid;
        svm.expectEmit(true, true, false, true, address(settlement));
        emit IEpochSettlement.FinaliseEpoch(netuid, epoch, o.pot.ownerCutAlphaRao + paid, o.recycled);
        _finalise(o.d);
        o.b1 = _read();
    }

    function test_finalise_ownerCutAsTheOwnersStake() public {
        Outcome memory o = _payStandard();
        assertGt(o.pot.ownerCutAlphaRao, 0, "an owner cut");
        assertEq(o.b1.ownerStake, o.b0.ownerStake + o.pot.ownerCutAlphaRao, "owner cut on the owner hotkey");
    }

    /// @dev V1 (default take): the take of both dividends as validator1's stake, the alpha rest vesting in V1's
    /// pool over the next tempo.
    function test_finalise_takeAsStakeAndAlphaRestVesting() public {
        Outcome memory o = _payStandard();
        IEpochSettlement.ValidatorPayout memory v1 = o.d.validators[0];
        assertEq(metagraph.takeOf(V1), DEFAULT_TAKE, "default take");
        uint256 alphaTake = (uint256(v1.alphaDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        uint256 takeTotal = alphaTake + (uint256(v1.rootDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        assertEq(o.b0.v1Pool.unvestedAlphaRao, 0, "nothing vesting before");
        assertEq(o.b1.v1Pool.alphaRao, o.b0.v1Pool.alphaRao + takeTotal, "V1 vested: the take");
        uint256 minted = (takeTotal * (uint256(o.b0.v1Pool.shares) + 1e9)) / (uint256(o.b0.v1Pool.alphaRao) + 1);
        assertEq(o.b1.v1Pool.shares, o.b0.v1Pool.shares + minted, "V1 shares: the take's");
        assertEq(o.b1.v1Pool.unvestedAlphaRao, v1.alphaDividendAlphaRao - alphaTake, "V1 vesting: the alpha rest");
        assertEq(o.b1.v1Pool.vestingEndBlock, _blockNumber() + TEMPO, "vests over the next tempo");
        assertEq(o.b1.v1Pool.vestingBlocksLeft, TEMPO, "tempo left");
        assertEq(o.b0.v1OwnerStake, 0, "validator1 had no stake");
        assertEq(
            o.b1.v1OwnerStake,
            (minted * (uint256(o.b1.v1Pool.alphaRao) + 1)) / (uint256(o.b1.v1Pool.shares) + 1e9),
            "validator1: the take's shares"
        );
        assertApproxAbs(o.b1.v1OwnerStake, takeTotal, 1, "the take, to a rao");
        assertEq(o.b1.aliceStake, o.b0.aliceStake, "the nominator's part vests later");
    }

    /// @dev V1's root rest goes to its root stakers: owed to them in the pools, claimable by bob pro rata.
    function test_finalise_rootRestToRootStakers() public {
        Outcome memory o = _payStandard();
        IEpochSettlement.ValidatorPayout memory v1 = o.d.validators[0];
        uint256 rootRest = v1.rootDividendAlphaRao - (uint256(v1.rootDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        assertGt(rootRest, 0, "a root rest");
        assertEq(o.b1.rootOwed, o.b0.rootOwed + rootRest, "owed to root stakers");
        uint256 rootStake = pools.getStake(V1, ck(bob), 0);
        assertEq(rootStake, 1_000 * TAO, "bob's root stake");
        uint256 rate = (rootRest * ROOT_RATE_SCALE) / rootStake;
        assertEq(o.b1.bobRootClaimable, o.b0.bobRootClaimable + (rootStake * rate) / ROOT_RATE_SCALE, "bob's claim");
        assertApproxAbs(o.b1.bobRootClaimable - o.b0.bobRootClaimable, rootRest, 1, "the root rest, to a rao");
    }

    /// @dev V2 (take 0, no nominators, no root stake): both dividends become validator2's stake at once.
    function test_finalise_noPoolAndNoRootStakeGoToTheOwner() public {
        Outcome memory o = _payStandard();
        IEpochSettlement.ValidatorPayout memory v2 = o.d.validators[1];
        assertEq(metagraph.takeOf(V2), 0, "take 0");
        assertGt(v2.rootDividendAlphaRao, 0, "a root dividend");
        assertEq(
            o.b1.v2OwnerStake,
            o.b0.v2OwnerStake + v2.alphaDividendAlphaRao + v2.rootDividendAlphaRao,
            "both as validator2's stake"
        );
        assertEq(o.b1.v2Pool.unvestedAlphaRao, 0, "nothing vesting");
        assertEq(rootDividends.rootClaimable(V2, ck(validator2), netuid), 0, "no root claim");
    }

    /// @dev Burned incentive leaves the pot without an owner (it stays in the issuance); the rest beyond the
    /// report is recycled out of the issuance; the incentive stays owed for claims.
    function test_finalise_burnedRecycledAndOwed() public {
        Outcome memory o = _payStandard();
        IEpochSettlement.Report memory r = o.d.report;
        assertGt(r.burnedIncentiveAlphaRao, 0, "some burned");
        assertGt(o.recycled, 0, "some recycled");
        assertEq(o.b1.unowned, o.b0.unowned + r.burnedIncentiveAlphaRao, "burned: unowned alpha");
        assertEq(o.b1.issuance, o.b0.issuance - o.recycled, "recycled: out of the issuance");
        assertEq(o.b0.settlementOwed, _potTotal(o.pot), "owed before: the pot");
        assertEq(o.b1.settlementOwed, r.incentiveAlphaRao, "owed after: the miners' incentive");
    }

    /// @dev Every rao of the pot is accounted for by what the pools hold.
    function test_finalise_conservesThePot() public {
        Outcome memory o = _payStandard();
        IEpochSettlement.Report memory r = o.d.report;
        uint256 credited =
            (o.b1.ownerStake - o.b0.ownerStake) +
                (uint256(o.b1.v1Pool.alphaRao) + o.b1.v1Pool.unvestedAlphaRao - o.b0.v1Pool.alphaRao) +
                (uint256(o.b1.v2Pool.alphaRao) - o.b0.v2Pool.alphaRao) +
                (o.b1.rootOwed - o.b0.rootOwed);
        assertEq(
            credited,
            o.pot.ownerCutAlphaRao + r.alphaDividendsAlphaRao + r.rootDividendsAlphaRao,
            "credited: owner cut and dividends"
        );
        uint256 burned = o.b1.unowned - o.b0.unowned;
        uint256 recycled = o.b0.issuance - o.b1.issuance;
        assertEq(credited + burned + recycled + o.b1.settlementOwed, _potTotal(o.pot), "= the pot");
    }

    /// @dev Permits as the report gives them, the miner burn on the pools, the validators' emissions.
    function test_finalise_permitsMinerBurnAndEmissions() public {
        Outcome memory o = _payStandard();
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "owner uid permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, uidV1), "V1 permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, uidV2), "V2 permit");
        assertTrue(!metagraph.hasValidatorPermit(netuid, uidM1), "no M1 permit");
        assertTrue(!metagraph.hasValidatorPermit(netuid, uidM2), "no M2 permit");
        assertGt(o.d.report.minerBurnOf65535, 0, "a miner burn");
        assertEq(pools.subnetConfig(netuid).minerBurnOf65535, o.d.report.minerBurnOf65535, "miner burn set");
        IEpochSettlement.ValidatorPayout memory v1 = o.d.validators[0];
        IEpochSettlement.ValidatorPayout memory v2 = o.d.validators[1];
        assertEq(_emission(netuid, uidV1), uint256(v1.alphaDividendAlphaRao) + v1.rootDividendAlphaRao, "V1");
        assertEq(_emission(netuid, uidV2), uint256(v2.alphaDividendAlphaRao) + v2.rootDividendAlphaRao, "V2");
        assertEq(_emission(netuid, uidM1), 0, "a miner's emission waits for its claim");
        (, , uint32 finalised, ) = settlement.progress(netuid);
        assertEq(finalised, o.d.report.epoch, "finalised");
        assertEq(
            uint256(_record(netuid, o.d.report.epoch).status),
            uint256(IEpochSettlement.Status.Finalised),
            "status"
        );
    }

    /// @dev A later report's permits replace the earlier ones.
    function test_finalise_permitsReplaced() public {
        _payStandard();
        uint32 epoch = _close(netuid);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](1);
        validators[0] = _payout(V2, uidV2, 1_000, 0);
        Draft memory d = _draft(netuid, epoch, new Leaf[](0), validators);
        _submit(d);
        _finalise(d);
        assertTrue(!metagraph.hasValidatorPermit(netuid, uidV1), "V1 lost its permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, uidV2), "V2 kept it");
    }

    /// @dev The alpha rest vests linearly over the next tempo; the nominator's stake grows with it.
    function test_finalise_alphaDividendVestsOverTheNextTempo() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        _finalise(d);
        IAlphaPoolsTypes.HotkeyPool memory p0 = pools.hotkeyPool(V1, netuid);
        uint256 unvested = p0.unvestedAlphaRao;
        uint256 alice0 = pools.getStake(V1, ck(alice), netuid);
        assertGt(unvested, 0, "vesting");

        _advance(5);
        IAlphaPoolsTypes.HotkeyPool memory p = pools.hotkeyPool(V1, netuid);
        assertEq(p.alphaRao, p0.alphaRao + (unvested * 5) / TEMPO, "a quarter vested");
        assertEq(p.unvestedAlphaRao, unvested - (unvested * 5) / TEMPO, "three quarters to go");
        uint256 alice5 = pools.getStake(V1, ck(alice), netuid);
        assertGt(alice5, alice0, "the nominator gains as it vests");

        _advance(TEMPO - 5);
        p = pools.hotkeyPool(V1, netuid);
        assertEq(p.alphaRao, p0.alphaRao + unvested, "all vested after a tempo");
        assertEq(p.unvestedAlphaRao, 0, "nothing left");
        uint256 alice20 = pools.getStake(V1, ck(alice), netuid);
        assertGt(alice20, alice5, "more");
        assertLe(alice20 - alice0, unvested, "at most the dividend");
        // alice and validator1 hold the pool (up to the virtual shares' rao)
        uint256 held = alice20 + pools.getStake(V1, ck(validator1), netuid);
        assertLe(held, p.alphaRao, "no more than the pool");
        assertApproxAbs(held, p.alphaRao, 2, "the pool, to rounding");

        _advance(TEMPO);
        assertEq(pools.hotkeyPool(V1, netuid).alphaRao, p.alphaRao, "nothing more");
    }

    /// @dev A root stake smaller than the root dividend cannot take it: the owner receives it as stake.
    function test_finalise_rootDividendToTheOwnerWhenRootStakeIsSmaller() public {
        _stake(carol, V2, 0, MIN_STAKE_RAO); // 0.002 TAO of root stake on V2
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        IEpochSettlement.ValidatorPayout memory v2 = d.validators[1];
        assertGt(v2.rootDividendAlphaRao, MIN_STAKE_RAO, "the dividend exceeds V2's root stake");
        _submit(d);
        uint256 rootOwed0 = _rootOwed(netuid);
        uint256 stake0 = pools.getStake(V2, ck(validator2), netuid);
        _finalise(d);
        assertEq(
            pools.getStake(V2, ck(validator2), netuid),
            stake0 + v2.alphaDividendAlphaRao + v2.rootDividendAlphaRao,
            "both to validator2"
        );
        assertEq(rootDividends.rootClaimable(V2, ck(carol), netuid), 0, "nothing for V2's root staker");
        uint256 v1RootRest =
            d.validators[0].rootDividendAlphaRao -
                (uint256(d.validators[0].rootDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        assertEq(_rootOwed(netuid), rootOwed0 + v1RootRest, "only V1's root rest is owed to root stakers");
    }

    /// @dev A validator's take counts for both dividends; a take changed before finalisation applies (the take at
    /// finalisation, as documented).
    function test_finalise_takeAtFinalisation() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        vm.prank(validator1);
        metagraph.decreaseTake(V1, 1_000);
        uint256 stake0 = pools.getStake(V1, ck(validator1), netuid);
        IAlphaPoolsTypes.HotkeyPool memory p0 = pools.hotkeyPool(V1, netuid);
        _finalise(d);
        IEpochSettlement.ValidatorPayout memory v1 = d.validators[0];
        uint256 takeTotal =
            (uint256(v1.alphaDividendAlphaRao) * 1_000) / FRACTION +
                (uint256(v1.rootDividendAlphaRao) * 1_000) / FRACTION;
        assertEq(pools.hotkeyPool(V1, netuid).alphaRao, p0.alphaRao + takeTotal, "the take at 1,000/65,535");
        assertApproxAbs(pools.getStake(V1, ck(validator1), netuid) - stake0, takeTotal, 1, "validator1's take");
    }

    /* FINALISE: REJECTIONS */

    function test_finalise_payloadMismatch() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        IEpochSettlement.ValidatorPayout[] memory validators = d.validators;
        validators[0].alphaDividendAlphaRao += 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.PayloadMismatch.selector,
                keccak256(abi.encode(validators)),
                d.report.validatorsHash
            )
        );
        settlement.finaliseEpoch(d.report, validators, d.permitWords);
        validators[0].alphaDividendAlphaRao -= 1;

        uint256[] memory permits = new uint256[](1);
        permits[0] = d.permitWords[0] | (1 << uidM1); // a permit the report did not give
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.PayloadMismatch.selector,
                keccak256(abi.encode(permits)),
                d.report.permitsHash
            )
        );
        settlement.finaliseEpoch(d.report, validators, permits);
        // a validator left out is a mismatch too
        IEpochSettlement.ValidatorPayout[] memory fewer = new IEpochSettlement.ValidatorPayout[](1);
        fewer[0] = validators[0];
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.PayloadMismatch.selector,
                keccak256(abi.encode(fewer)),
                d.report.validatorsHash
            )
        );
        settlement.finaliseEpoch(d.report, fewer, d.permitWords);
        _finalise(d);
    }

    /// @dev Only the digest is kept at submission: finalisation must present the very report the quorum signed. Any
    /// other report is refused, even one whose payload is consistent with it (a rival validator list and its hash).
    function test_finalise_presentsTheSignedReportAgain() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        bytes32 signed = ReportLib.digest(d.report);
        assertEq(_record(netuid, epoch).reportDigest, signed, "the digest is kept");

        // every field of the report counts
        IEpochSettlement.Report memory r = d.report;
        bytes32 stateHash = r.stateHash;
        r.stateHash = keccak256("another state");
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.PayloadMismatch.selector, ReportLib.digest(r), signed));
        _finalise(d);
        r.stateHash = stateHash;
        uint64 burned = r.burnedIncentiveAlphaRao;
        r.burnedIncentiveAlphaRao = burned - 1;
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.PayloadMismatch.selector, ReportLib.digest(r), signed));
        _finalise(d);
        r.burnedIncentiveAlphaRao = burned;

        // a rival report paying V1 everything, sealed with its own validators hash, never signed
        IEpochSettlement.ValidatorPayout[] memory rivals = new IEpochSettlement.ValidatorPayout[](1);
        rivals[0] = _payout(V1, uidV1, d.report.alphaDividendsAlphaRao, d.report.rootDividendsAlphaRao);
        Draft memory rival = _draft(netuid, epoch, d.leaves, rivals);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.PayloadMismatch.selector, ReportLib.digest(rival.report), signed)
        );
        _finalise(rival);
        assertEq(uint256(_record(netuid, epoch).status), uint256(IEpochSettlement.Status.Submitted), "still open");

        _finalise(d);
        assertEq(_record(netuid, epoch).resultsRoot, d.report.resultsRoot, "the results root at finalisation");
    }

    /// @dev At most the subnet's max validators plus the owner's uid.
    function test_finalise_tooManyValidators() public {
        uint32 epoch = _close(netuid);
        uint256 limit = uint256(registry.hyperparameters(netuid).maxValidators) + 1;
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](limit + 1);
        bytes32[5] memory hotkeys = [OWNER1_HOTKEY, V1, V2, M1, M2];
        for (uint16 i; i <= limit; ++i) validators[i] = _payout(hotkeys[i % 5], i % 5, 0, 0);
        Draft memory d = _draft(netuid, epoch, new Leaf[](0), validators);
        _submit(d);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.TooManyValidators.selector, limit + 1, limit));
        _finalise(d);
    }

    function test_finalise_atTheValidatorLimit() public {
        uint32 epoch = _close(netuid);
        uint256 limit = uint256(registry.hyperparameters(netuid).maxValidators) + 1;
        assertEq(limit, 5, "4 validators and the owner");
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](limit);
        bytes32[5] memory hotkeys = [OWNER1_HOTKEY, V1, V2, M1, M2];
        for (uint16 i; i < limit; ++i) validators[i] = _payout(hotkeys[i], i, 1_000 + i, 0);
        Draft memory d = _draft(netuid, epoch, new Leaf[](0), validators);
        _submit(d);
        _finalise(d);
        for (uint16 i; i < limit; ++i) {
            assertEq(_emission(netuid, i), 1_000 + i, "recorded");
            assertTrue(metagraph.hasValidatorPermit(netuid, i), "permit");
        }
    }

    /// @dev The validators' payouts may not exceed the report's signed totals (alpha).
    function test_finalise_payoutAboveReport_alpha() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        uint64 alphaSum = d.report.alphaDividendsAlphaRao;
        d.report.alphaDividendsAlphaRao = alphaSum - 1;
        _submit(d);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.PayoutAboveReport.selector,
                uint256(alphaSum),
                uint256(alphaSum - 1)
            )
        );
        _finalise(d);
    }

    /// @dev The validators' payouts may not exceed the report's signed totals (root).
    function test_finalise_payoutAboveReport_root() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        uint64 rootSum = d.report.rootDividendsAlphaRao;
        d.report.rootDividendsAlphaRao = rootSum - 1;
        _submit(d);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.PayoutAboveReport.selector, uint256(rootSum), uint256(rootSum - 1))
        );
        _finalise(d);
    }

    /// @dev Fewer payouts than the signed totals: the difference is left to claims (the report says uids outside
    /// the list hold it), never paid at finalisation and never recycled.
    function test_finalise_payoutBelowReportStaysClaimable() public {
        uint32 epoch = _close(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        Draft memory d = _standardDraft(epoch);
        d.report.alphaDividendsAlphaRao += 7;
        _submit(d);
        uint256 issuance0 = _books(netuid).alphaIssuanceRao;
        _finalise(d);
        IEpochSettlement.Report memory r = d.report;
        uint256 declared = uint256(r.alphaDividendsAlphaRao) + r.rootDividendsAlphaRao;
        uint256 recycled = _distributable(pot) - r.incentiveAlphaRao - r.burnedIncentiveAlphaRao - declared;
        assertEq(_books(netuid).alphaIssuanceRao, issuance0 - recycled, "recycled: the pot beyond the report");
        assertEq(_claimable(netuid, epoch), uint256(r.incentiveAlphaRao) + 7, "claimable: incentive and the 7");
        assertEq(_settlementOwed(netuid), _claimable(netuid, epoch), "owed = claimable");
    }

    function test_finalise_onlyOnce() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        _finalise(d);
        Books memory b0 = _read();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                epoch,
                IEpochSettlement.Status.Finalised
            )
        );
        _finalise(d);
        Books memory b1 = _read();
        assertEq(b1.ownerStake, b0.ownerStake, "owner cut once");
        assertEq(b1.v2OwnerStake, b0.v2OwnerStake, "dividends once");
    }

    function test_finalise_notSubmitted() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                epoch,
                IEpochSettlement.Status.Closed
            )
        );
        _finalise(d);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                epoch + 1,
                IEpochSettlement.Status.None
            )
        );
        d.report.epoch = epoch + 1;
        _finalise(d);
    }

    /* CLAIMS */

    function test_claim_creditsTheMinersOwnerColdkey() public {
        Draft memory d = _finalisedStandard();
        Leaf memory m1 = d.leaves[0];
        uint32 epoch = d.report.epoch;
        uint256 owed0 = _settlementOwed(netuid);
        svm.expectEmit(true, true, true, true, address(settlement));
        emit IEpochSettlement.ClaimIncentive(netuid, epoch, m1.uid, M1, m1.incentiveAlphaRao);
        vm.prank(stranger); // permissionless: anyone claims on the miner's behalf
        _claim(d, 0);
        assertEq(pools.getStake(M1, ck(miner1), netuid), m1.incentiveAlphaRao, "the owner coldkey's stake");
        assertEq(pools.getStake(M1, ck(stranger), netuid), 0, "not the caller's");
        assertTrue(settlement.isClaimed(netuid, _gen(netuid), epoch, m1.uid), "claimed");
        assertTrue(!settlement.isClaimed(netuid, _gen(netuid), epoch, uidM2), "M2 not yet");
        assertEq(_claimable(netuid, epoch), owed0 - m1.incentiveAlphaRao, "claimable less");
        assertEq(_settlementOwed(netuid), owed0 - m1.incentiveAlphaRao, "owed less");
        assertEq(_emission(netuid, m1.uid), m1.incentiveAlphaRao, "emission recorded");

        _claim(d, 1);
        assertEq(pools.getStake(M2, ck(carol), netuid), d.leaves[1].incentiveAlphaRao, "M2's owner");
        assertEq(_settlementOwed(netuid), 0, "every miner paid");
    }

    /// @dev A validator's leaf credits nothing (its dividends were paid at finalisation) but records its emission.
    function test_claim_validatorLeafRecordsEmissionOnly() public {
        Draft memory d = _finalisedStandard();
        uint256 stake0 = pools.getStake(V1, ck(validator1), netuid);
        uint256 owed0 = _settlementOwed(netuid);
        _claim(d, 2);
        assertEq(pools.getStake(V1, ck(validator1), netuid), stake0, "nothing credited");
        assertEq(_settlementOwed(netuid), owed0, "nothing spent");
        assertEq(
            _emission(netuid, uidV1),
            uint256(d.leaves[2].alphaDividendAlphaRao) + d.leaves[2].rootDividendAlphaRao,
            "emission"
        );
    }

    function test_claim_alreadyClaimed() public {
        Draft memory d = _finalisedStandard();
        _claim(d, 0);
        uint256 stake = pools.getStake(M1, ck(miner1), netuid);
        bytes memory already = abi.encodeWithSelector(
            IEpochSettlement.AlreadyClaimed.selector,
            netuid,
            d.report.epoch,
            uidM1
        );
        vm.expectRevert(already);
        _claim(d, 0);
        vm.prank(miner1);
        vm.expectRevert(already);
        _claim(d, 0);
        assertEq(pools.getStake(M1, ck(miner1), netuid), stake, "credited once");
    }

    function test_claim_invalidProof() public {
        Draft memory d = _finalisedStandard();
        uint32 epoch = d.report.epoch;
        bytes32[] memory proof = _proof(d, 0);
        bytes memory invalid = abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, epoch, uidM1);

        Leaf memory l = _copyLeaf(d.leaves[0]);
        l.incentiveAlphaRao += 1; // a wrong amount
        vm.expectRevert(invalid);
        _claimLeaf(netuid, epoch, l, proof);
        l = _copyLeaf(d.leaves[0]);
        l.hotkey = M2; // a wrong hotkey
        vm.expectRevert(invalid);
        _claimLeaf(netuid, epoch, l, proof);
        l = _copyLeaf(d.leaves[0]);
        l.alphaDividendAlphaRao = 1; // a wrong dividend
        vm.expectRevert(invalid);
        _claimLeaf(netuid, epoch, l, proof);
        l = _copyLeaf(d.leaves[0]);
        l.uid = uidM2; // a wrong uid
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, epoch, uidM2));
        _claimLeaf(netuid, epoch, l, proof);
        vm.expectRevert(invalid); // another leaf's proof
        _claimLeaf(netuid, epoch, d.leaves[0], _proof(d, 1));
        vm.expectRevert(invalid); // no proof
        _claimLeaf(netuid, epoch, d.leaves[0], new bytes32[](0));
    }

    /// @dev A leaf and proof of one epoch do not claim in another.
    function test_claim_proofOfAnotherEpoch() public {
        Draft memory d = _finalisedStandard();
        uint256 server = _pot(netuid, d.report.epoch).serverAlphaRao;
        Draft memory next = _nextWithTwoMiners(server / 3, server / 5);
        _submit(next);
        _finalise(next);
        Leaf memory l = d.leaves[0];
        Leaf memory n = next.leaves[0];
        assertTrue(n.incentiveAlphaRao != l.incentiveAlphaRao, "different amounts");
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, d.report.epoch, uidM1));
        _claimLeaf(netuid, d.report.epoch, n, _proof(next, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, next.report.epoch, uidM1)
        );
        _claimLeaf(netuid, next.report.epoch, l, _proof(d, 0));
        _claim(d, 0);
        _claim(next, 0);
        assertEq(
            pools.getStake(M1, ck(miner1), netuid),
            uint256(l.incentiveAlphaRao) + n.incentiveAlphaRao,
            "each epoch once"
        );
    }

    function test_claim_onlyFinalisedEpochs() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                epoch,
                IEpochSettlement.Status.Closed
            )
        );
        _claim(d, 0);
        _submit(d);
        vm.expectRevert(
            abi.encodeWithSelector(
                IEpochSettlement.NotSubmitted.selector,
                netuid,
                epoch,
                IEpochSettlement.Status.Submitted
            )
        );
        _claim(d, 0);
    }

    /// @dev A quorum-signed tree that holds more incentive than the report declares cannot pay beyond the total.
    function test_claim_aboveReport_incentive() public {
        uint32 epoch = _close(netuid);
        IAlphaPoolsTypes.PendingEmission memory pot = _pot(netuid, epoch);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = _leaf(uidM1, M1, pot.serverAlphaRao / 2, 0, 0);
        leaves[1] = _leaf(uidM2, M2, pot.serverAlphaRao / 2, 0, 0);
        Draft memory d = _draft(netuid, epoch, leaves, new IEpochSettlement.ValidatorPayout[](0));
        uint256 declared = pot.serverAlphaRao / 4;
        d.report.incentiveAlphaRao = uint64(declared);
        _submit(d);
        _finalise(d);
        assertEq(_settlementOwed(netuid), declared, "only the declared incentive stays owed");
        assertEq(_claimable(netuid, epoch), declared, "claimable: the declared incentive");

        uint256 first = leaves[0].incentiveAlphaRao;
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, first, declared));
        _claim(d, 0);
        // a tree within the total leaf by leaf, over it together
        Draft memory e = _nextWithTwoMiners(pot.serverAlphaRao / 3, pot.serverAlphaRao / 3);
        uint256 eDeclared = pot.serverAlphaRao / 2;
        e.report.incentiveAlphaRao = uint64(eDeclared);
        _submit(e);
        _finalise(e);
        _claim(e, 0);
        uint256 left = eDeclared - e.leaves[0].incentiveAlphaRao;
        assertEq(_claimable(netuid, e.report.epoch), left, "claimable after the first claim");
        uint256 second = e.leaves[1].incentiveAlphaRao;
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, second, left));
        _claim(e, 1);
        assertEq(pools.getStake(M2, ck(carol), netuid), 0, "nothing beyond the total");
        assertTrue(!settlement.isClaimed(netuid, _gen(netuid), e.report.epoch, uidM2), "not marked claimed");
    }

    /* DIVIDENDS BEYOND THE VALIDATOR BOUND, CLAIMED WITH THEIR LEAF */

    /// @dev An epoch without consensus pays dividends by stake to more uids than the bound (max validators + 1):
    /// here the bound is 2 (max validators 1, fixed at the close), four uids have dividends, finalisation pays V2
    /// and M1 (the list) and V1 and M2 claim theirs with their leaves.
    function _beyondTheBound() internal returns (Draft memory d, IAlphaPoolsTypes.PendingEmission memory pot) {
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.maxValidators = 1;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        uint32 epoch = _close(netuid);
        assertEq(_record(netuid, epoch).maxValidators, 1, "the bound at the close");
        pot = _pot(netuid, epoch);
        Leaf[] memory leaves = new Leaf[](4);
        leaves[0] = _leaf(uidV1, V1, 0, (pot.validatorAlphaRao * 4) / 10, (pot.rootAlphaRao * 5) / 10);
        leaves[1] = _leaf(uidV2, V2, 0, (pot.validatorAlphaRao * 3) / 10, (pot.rootAlphaRao * 2) / 10);
        leaves[2] = _leaf(uidM1, M1, (pot.serverAlphaRao * 3) / 10, (pot.validatorAlphaRao * 1) / 10, 0);
        leaves[3] = _leaf(uidM2, M2, (pot.serverAlphaRao * 2) / 10, (pot.validatorAlphaRao * 1) / 10, 0);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](2);
        validators[0] = _payout(V2, uidV2, leaves[1].alphaDividendAlphaRao, leaves[1].rootDividendAlphaRao);
        validators[1] = _payout(M1, uidM1, leaves[2].alphaDividendAlphaRao, 0);
        d = _draft(netuid, epoch, leaves, validators);
    }

    function test_beyondTheBound_finalisationPaysTheListAndLeavesTheRestClaimable() public {
        (Draft memory d, IAlphaPoolsTypes.PendingEmission memory pot) = _beyondTheBound();
        IEpochSettlement.Report memory r = d.report;
        uint32 epoch = r.epoch;
        Leaf memory v1 = d.leaves[0];
        Leaf memory m2 = d.leaves[3];
        assertEq(
            r.alphaDividendsAlphaRao,
            uint256(d.validators[0].alphaDividendAlphaRao) +
                d.validators[1].alphaDividendAlphaRao +
                v1.alphaDividendAlphaRao +
                m2.alphaDividendAlphaRao,
            "the report declares every uid's dividends"
        );
        _submit(d);
        Books memory b0 = _read();
        uint256 paid =
            uint256(d.validators[0].alphaDividendAlphaRao) +
                d.validators[0].rootDividendAlphaRao +
                d.validators[1].alphaDividendAlphaRao;
        uint256 declared = uint256(r.alphaDividendsAlphaRao) + r.rootDividendsAlphaRao;
        uint256 recycled = _distributable(pot) - r.incentiveAlphaRao - r.burnedIncentiveAlphaRao - declared;
        svm.expectEmit(true, true, false, true, address(settlement));
        emit IEpochSettlement.FinaliseEpoch(netuid, epoch, pot.ownerCutAlphaRao + paid, recycled);
        _finalise(d);
        Books memory b1 = _read();

        uint256 unpaid = uint256(v1.alphaDividendAlphaRao) + v1.rootDividendAlphaRao + m2.alphaDividendAlphaRao;
        assertEq(_claimable(netuid, epoch), uint256(r.incentiveAlphaRao) + unpaid, "incentive and unpaid dividends");
        assertEq(b1.settlementOwed, _claimable(netuid, epoch), "the pools owe exactly the claimable");
        assertEq(b1.v1Pool.alphaRao, b0.v1Pool.alphaRao, "V1 not paid at finalisation");
        assertEq(b1.v1Pool.unvestedAlphaRao, b0.v1Pool.unvestedAlphaRao, "nothing vesting for V1");
        assertEq(b1.rootOwed, b0.rootOwed, "no root dividend yet");
        assertEq(
            b1.v2OwnerStake,
            b0.v2OwnerStake + d.validators[0].alphaDividendAlphaRao + d.validators[0].rootDividendAlphaRao,
            "V2 paid at finalisation"
        );
        uint32 gen = _gen(netuid);
        assertTrue(settlement.isPaidAtFinalisation(netuid, gen, epoch, uidV2), "V2 paid");
        assertTrue(settlement.isPaidAtFinalisation(netuid, gen, epoch, uidM1), "M1 paid");
        assertTrue(!settlement.isPaidAtFinalisation(netuid, gen, epoch, uidV1), "V1 claims");
        assertTrue(!settlement.isPaidAtFinalisation(netuid, gen, epoch, uidM2), "M2 claims");
        assertEq(_emission(netuid, uidV1), 0, "V1's emission waits for its claim");
    }

    /// @dev V1's leaf pays its dividends exactly as finalisation would have: the take of both as validator1's stake,
    /// the alpha rest vesting in V1's pool over the next tempo, the root rest to V1's root stakers.
    function test_beyondTheBound_claimPaysTakeVestingAndRootExactly() public {
        (Draft memory d, ) = _beyondTheBound();
        _submit(d);
        _finalise(d);
        Leaf memory v1 = d.leaves[0];
        uint256 claimable0 = _claimable(netuid, d.report.epoch);
        Books memory b0 = _read();
        svm.expectEmit(true, true, true, true, address(settlement));
        emit IEpochSettlement.ClaimIncentive(netuid, d.report.epoch, uidV1, V1, 0);
        vm.prank(stranger); // on V1's behalf
        _claim(d, 0);
        Books memory b1 = _read();

        uint256 alphaTake = (uint256(v1.alphaDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        uint256 rootTake = (uint256(v1.rootDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        uint256 takeTotal = alphaTake + rootTake;
        assertEq(b1.v1Pool.alphaRao, b0.v1Pool.alphaRao + takeTotal, "V1 vested: the take");
        uint256 minted = (takeTotal * (uint256(b0.v1Pool.shares) + 1e9)) / (uint256(b0.v1Pool.alphaRao) + 1);
        assertEq(b1.v1Pool.shares, b0.v1Pool.shares + minted, "V1 shares: the take's");
        assertApproxAbs(b1.v1OwnerStake - b0.v1OwnerStake, takeTotal, 1, "validator1: the take, to a rao");
        assertEq(b1.v1Pool.unvestedAlphaRao, v1.alphaDividendAlphaRao - alphaTake, "vesting: the alpha rest");
        assertEq(b1.v1Pool.vestingEndBlock, _blockNumber() + TEMPO, "over the next tempo");
        uint256 rootRest = v1.rootDividendAlphaRao - rootTake;
        assertGt(rootRest, 0, "a root rest");
        assertEq(b1.rootOwed, b0.rootOwed + rootRest, "owed to root stakers");
        uint256 rate = (rootRest * ROOT_RATE_SCALE) / (1_000 * TAO);
        assertEq(b1.bobRootClaimable, b0.bobRootClaimable + (1_000 * TAO * rate) / ROOT_RATE_SCALE, "bob's share");
        uint256 paid = uint256(v1.alphaDividendAlphaRao) + v1.rootDividendAlphaRao;
        assertEq(_claimable(netuid, d.report.epoch), claimable0 - paid, "claimable less V1's dividends");
        assertEq(b1.settlementOwed, b0.settlementOwed - paid, "owed less V1's dividends");
        assertEq(_emission(netuid, uidV1), paid, "V1's emission recorded");
        assertEq(b1.aliceStake, b0.aliceStake, "the nominator's part vests later");
    }

    /// @dev Every leaf claimed: the claimable budget is spent to the rao, and everything the pot held is accounted
    /// for (credited, burned, recycled).
    function test_beyondTheBound_allClaimsSpendTheBudgetExactly() public {
        (Draft memory d, IAlphaPoolsTypes.PendingEmission memory pot) = _beyondTheBound();
        _submit(d);
        uint256 issuance0 = _books(netuid).alphaIssuanceRao;
        uint256 unowned0 = _unownedAlpha(netuid);
        _finalise(d);
        // M2's leaf: its incentive and its take as carol's stake now, the alpha rest vesting in M2's pool.
        uint256 carol0 = pools.getStake(M2, ck(carol), netuid);
        for (uint256 i; i < 4; ++i) _claim(d, i);
        Leaf memory m2 = d.leaves[3];
        uint256 m2Take = (uint256(m2.alphaDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        assertGt(m2Take, 0, "M2 has a take");
        assertApproxAbs(
            pools.getStake(M2, ck(carol), netuid) - carol0,
            uint256(m2.incentiveAlphaRao) + m2Take,
            1,
            "M2: incentive and take"
        );
        assertEq(pools.hotkeyPool(M2, netuid).unvestedAlphaRao, m2.alphaDividendAlphaRao - m2Take, "M2 vesting");
        assertEq(_claimable(netuid, d.report.epoch), 0, "the budget spent");
        assertEq(_settlementOwed(netuid), 0, "nothing owed");
        IEpochSettlement.Report memory r = d.report;
        uint256 recycled = issuance0 - _books(netuid).alphaIssuanceRao;
        assertEq(_unownedAlpha(netuid) - unowned0, r.burnedIncentiveAlphaRao, "burned");
        assertEq(
            pot.ownerCutAlphaRao +
                r.incentiveAlphaRao +
                r.alphaDividendsAlphaRao +
                r.rootDividendsAlphaRao +
                r.burnedIncentiveAlphaRao +
                recycled,
            _potTotal(pot),
            "every rao of the pot"
        );
    }

    /// @dev A uid finalisation paid claims only its incentive with its leaf: its dividends are not paid twice.
    function test_beyondTheBound_paidUidClaimsOnlyItsIncentive() public {
        (Draft memory d, ) = _beyondTheBound();
        _submit(d);
        _finalise(d);
        Leaf memory m1 = d.leaves[2];
        assertGt(m1.alphaDividendAlphaRao, 0, "M1 has dividends in its leaf");
        uint256 claimable0 = _claimable(netuid, d.report.epoch);
        IAlphaPoolsTypes.HotkeyPool memory pool0 = pools.hotkeyPool(M1, netuid);
        uint256 stake0 = pools.getStake(M1, ck(miner1), netuid);
        _claim(d, 2);
        assertEq(_claimable(netuid, d.report.epoch), claimable0 - m1.incentiveAlphaRao, "only the incentive spent");
        IAlphaPoolsTypes.HotkeyPool memory pool1 = pools.hotkeyPool(M1, netuid);
        assertEq(pool1.alphaRao, pool0.alphaRao + m1.incentiveAlphaRao, "the pool: the incentive");
        assertEq(pool1.unvestedAlphaRao, pool0.unvestedAlphaRao, "no second dividend vesting");
        assertApproxAbs(pools.getStake(M1, ck(miner1), netuid) - stake0, m1.incentiveAlphaRao, 1, "the incentive");
        assertEq(
            _emission(netuid, uidM1),
            uint256(m1.incentiveAlphaRao) + m1.alphaDividendAlphaRao,
            "the neuron's whole emission recorded"
        );
    }

    /// @dev A quorum-signed report that declares less than its unlisted leaves hold cannot pay beyond it: the claim
    /// that would pass the budget is refused whole.
    function test_beyondTheBound_claimAboveReport() public {
        (Draft memory d, ) = _beyondTheBound();
        uint256 short = 1_000;
        d.report.alphaDividendsAlphaRao -= uint64(short);
        _submit(d);
        _finalise(d);
        uint32 epoch = d.report.epoch;
        _claim(d, 2); // M1's incentive
        _claim(d, 3); // M2's incentive and dividend
        Leaf memory v1 = d.leaves[0];
        uint256 left = _claimable(netuid, epoch);
        uint256 v1Total = uint256(v1.alphaDividendAlphaRao) + v1.rootDividendAlphaRao;
        assertEq(left, v1Total - short, "the budget falls short of V1's leaf");
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, v1Total, left));
        _claim(d, 0);
        assertTrue(!settlement.isClaimed(netuid, _gen(netuid), epoch, uidV1), "not claimed");
        assertEq(_settlementOwed(netuid), left, "nothing spent");
    }

    /// @dev The bound is the one at the close: an owner lowering max validators later cannot make a report with
    /// a longer list unpayable.
    function test_beyondTheBound_boundFixedAtTheClose() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch); // two validators: within the bound of 4 (+ 1)
        _submit(d);
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.maxValidators = 1;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        _finalise(d);
        assertEq(uint256(_record(netuid, epoch).status), uint256(IEpochSettlement.Status.Finalised), "finalised");
        assertEq(_record(netuid, epoch).maxValidators, 4, "the bound recorded at the close");
    }

    /// @dev A uid replaced since the snapshot keeps its new neuron's emission; the old miner is still paid.
    function test_claim_recordsEmissionOnlyWhileTheUidHoldsTheHotkey() public {
        Draft memory d = _finalisedStandard();
        bytes32 newcomer = _replaceLowestUid();
        assertEq(metagraph.hotkeyOf(netuid, uidM1), newcomer, "M1's uid replaced");
        _claim(d, 0);
        assertEq(pools.getStake(M1, ck(miner1), netuid), d.leaves[0].incentiveAlphaRao, "the old miner is paid");
        assertEq(_emission(netuid, uidM1), 0, "the newcomer's emission untouched");
        _claim(d, 1);
        assertEq(_emission(netuid, uidM2), d.leaves[1].incentiveAlphaRao, "M2 still holds its uid");
    }

    /* CLAIMS IN ONE CALL */

    /// @dev Every leaf of an epoch beyond the bound in one call: the credits one claim each gives
    /// (test_beyondTheBound_allClaimsSpendTheBudgetExactly), every uid marked and its emission recorded.
    function test_claimBatch_paysEveryLeafAsSingleClaimsDo() public {
        (Draft memory d, ) = _beyondTheBound();
        _submit(d);
        _finalise(d);
        uint256 carol0 = pools.getStake(M2, ck(carol), netuid);
        uint256 miner0 = pools.getStake(M1, ck(miner1), netuid);
        uint256[] memory all = new uint256[](4);
        for (uint256 i; i < 4; ++i) all[i] = i;
        vm.prank(stranger); // permissionless, like a single claim
        assertEq(_claimBatch(d, all), 4, "four leaves paid");
        Leaf memory m2 = d.leaves[3];
        uint256 m2Take = (uint256(m2.alphaDividendAlphaRao) * DEFAULT_TAKE) / FRACTION;
        assertApproxAbs(
            pools.getStake(M2, ck(carol), netuid) - carol0,
            uint256(m2.incentiveAlphaRao) + m2Take,
            1,
            "M2: incentive and take"
        );
        assertEq(pools.hotkeyPool(M2, netuid).unvestedAlphaRao, m2.alphaDividendAlphaRao - m2Take, "M2 vesting");
        assertEq(
            pools.getStake(M1, ck(miner1), netuid) - miner0,
            d.leaves[2].incentiveAlphaRao,
            "M1: its incentive only (finalisation paid its dividends)"
        );
        assertEq(_claimable(netuid, d.report.epoch), 0, "the budget spent");
        assertEq(_settlementOwed(netuid), 0, "nothing owed");
        for (uint256 i; i < 4; ++i) {
            Leaf memory l = d.leaves[i];
            assertTrue(settlement.isClaimed(netuid, _gen(netuid), d.report.epoch, l.uid), "claimed");
            assertEq(
                _emission(netuid, l.uid),
                uint256(l.incentiveAlphaRao) + l.alphaDividendAlphaRao + l.rootDividendAlphaRao,
                "emission recorded"
            );
        }
    }

    /// @dev A uid claimed before (another keeper's claim) is skipped, not refused: the rest of the batch is paid,
    /// and nothing twice. A batch of claimed uids only pays nothing.
    function test_claimBatch_skipsClaimedUids() public {
        Draft memory d = _finalisedStandard();
        _claim(d, 0);
        uint256 m1 = pools.getStake(M1, ck(miner1), netuid);
        svm.expectEmit(true, true, true, true, address(settlement));
        emit IEpochSettlement.ClaimIncentive(netuid, d.report.epoch, uidM2, M2, d.leaves[1].incentiveAlphaRao);
        assertEq(_claimBatch(d, _indexes(0, 1)), 1, "only M2 paid");
        assertEq(pools.getStake(M1, ck(miner1), netuid), m1, "M1 credited once");
        assertEq(pools.getStake(M2, ck(carol), netuid), d.leaves[1].incentiveAlphaRao, "M2's owner");
        assertEq(_claimBatch(d, _indexes(1, 0)), 0, "nothing left");
        assertEq(_settlementOwed(netuid), 0, "every miner paid once");
    }

    /// @dev A batch with the same uid twice pays it once.
    function test_claimBatch_repeatedUidPaidOnce() public {
        Draft memory d = _finalisedStandard();
        assertEq(_claimBatch(d, _indexes(0, 0)), 1, "one payment");
        assertEq(pools.getStake(M1, ck(miner1), netuid), d.leaves[0].incentiveAlphaRao, "credited once");
    }

    /// @dev One bad proof refuses the whole batch, naming its uid: the good leaf before it is not paid either.
    function test_claimBatch_invalidProofRefusesTheBatch() public {
        Draft memory d = _finalisedStandard();
        IEpochSettlement.Claim[] memory claims = _claims(d, _indexes(0, 1));
        claims[1].incentiveAlphaRao += 1;
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.InvalidProof.selector, netuid, d.report.epoch, uidM2));
        settlement.claimIncentives(netuid, d.report.epoch, claims);
        assertTrue(!settlement.isClaimed(netuid, _gen(netuid), d.report.epoch, uidM1), "M1 not claimed");
        assertEq(pools.getStake(M1, ck(miner1), netuid), 0, "nothing credited");
    }

    /// @dev The batch is bounded, and only a finalised epoch pays.
    function test_claimBatch_boundedAndOnlyFinalised() public {
        Draft memory d = _finalisedStandard();
        uint256 max = settlement.MAX_CLAIMS_PER_CALL();
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.TooManyClaims.selector, max + 1, max));
        settlement.claimIncentives(netuid, d.report.epoch, new IEpochSettlement.Claim[](max + 1));
        uint32 next = _close(netuid);
        vm.expectRevert(
            abi.encodeWithSelector(IEpochSettlement.NotSubmitted.selector, netuid, next, IEpochSettlement.Status.Closed)
        );
        settlement.claimIncentives(netuid, next, _claims(d, _indexes(0, 1)));
        // A netuid with no open subnet has nothing to claim, in a batch or alone.
        uint16 unknown = 9;
        bytes memory notOpen = abi.encodeWithSelector(IEpochSettlement.WrongSubnet.selector, unknown, 0, 0);
        vm.expectRevert(notOpen);
        settlement.claimIncentives(unknown, d.report.epoch, _claims(d, _indexes(0, 1)));
        Leaf memory l = d.leaves[0];
        vm.expectRevert(notOpen);
        _claimLeaf(unknown, d.report.epoch, l, _proof(d, 0));
    }

    /// @dev The claimable budget bounds a batch as it bounds single claims: the leaf that exceeds it refuses all.
    function test_claimBatch_aboveReportRefusesTheBatch() public {
        Draft memory d = _nextWithTwoMiners(1_000, 2_000);
        d.report.incentiveAlphaRao = 2_500; // the report declares less than its leaves add up to
        _submit(d);
        _finalise(d);
        vm.expectRevert(abi.encodeWithSelector(IEpochSettlement.ClaimAboveReport.selector, 2_000, 1_500));
        _claimBatch(d, _indexes(0, 1));
        assertEq(_claimable(netuid, d.report.epoch), 2_500, "nothing spent");
    }

    /// @dev As a single claim: a uid replaced since the snapshot keeps its new neuron's emission.
    function test_claimBatch_recordsEmissionOnlyWhileTheUidHoldsTheHotkey() public {
        Draft memory d = _finalisedStandard();
        _replaceLowestUid();
        assertEq(_claimBatch(d, _indexes(0, 1)), 2, "both paid");
        assertEq(pools.getStake(M1, ck(miner1), netuid), d.leaves[0].incentiveAlphaRao, "the old miner is paid");
        assertEq(_emission(netuid, uidM1), 0, "the newcomer's emission untouched");
        assertEq(_emission(netuid, uidM2), d.leaves[1].incentiveAlphaRao, "M2 still holds its uid");
    }

    /* REGRESSIONS */

    /// @dev Regression: finalisation recorded a validator's dividends as the emission of its uid even when the uid
    /// had been given to a new neuron since the snapshot, which then looked like a strong neuron to replacements.
    /// The claim path already records only while the uid holds the hotkey; finalisation must too.
    function test_regression_finaliseRecordsEmissionOnlyWhileTheUidHoldsTheValidator() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        _submit(d);
        bytes32 newcomer = _replaceLowestUid(); // every emission is 0: the oldest, lowest uid goes
        assertEq(metagraph.hotkeyOf(netuid, uidV1), newcomer, "V1's uid replaced after the snapshot");
        uint256 stake0 = pools.getStake(V1, ck(validator1), netuid);
        _finalise(d);
        assertEq(_emission(netuid, uidV1), 0, "the newcomer's emission untouched");
        assertEq(
            _emission(netuid, uidV2),
            uint256(d.validators[1].alphaDividendAlphaRao) + d.validators[1].rootDividendAlphaRao,
            "V2 recorded"
        );
        assertGt(pools.getStake(V1, ck(validator1), netuid), stake0, "V1 is still paid");
    }

    /// @dev Regression: a uid given to a new neuron between the snapshot and finalisation kept the permit the
    /// report gave to the neuron it replaced. The metagraph clears it (setValidatorPermits takes the snapshot block).
    function test_regression_permitOfAUidReplacedAfterTheSnapshotIsCleared() public {
        uint32 epoch = _close(netuid);
        Draft memory d = _standardDraft(epoch);
        assertTrue(d.permitWords[0] & (1 << uidV1) != 0, "the report permits V1's uid");
        _submit(d);
        // A neuron registered in the snapshot block is part of the snapshot (keepers read the state at its end).
        vm.roll(svm.getBlockNumber() + 1);
        bytes32 newcomer = _replaceLowestUid();
        assertEq(metagraph.hotkeyOf(netuid, uidV1), newcomer, "V1's uid replaced after the snapshot");
        _finalise(d);
        assertTrue(!metagraph.hasValidatorPermit(netuid, uidV1), "the newcomer has no permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, uidV2), "V2 keeps its permit");
        assertTrue(metagraph.hasValidatorPermit(netuid, 0), "the owner's uid too");
    }

    /* HELPERS */

    function _read() internal view returns (Books memory b) {
        b.ownerStake = pools.getStake(OWNER1_HOTKEY, ck(owner1), netuid);
        b.v1Pool = pools.hotkeyPool(V1, netuid);
        b.v1OwnerStake = pools.getStake(V1, ck(validator1), netuid);
        b.aliceStake = pools.getStake(V1, ck(alice), netuid);
        b.v2Pool = pools.hotkeyPool(V2, netuid);
        b.v2OwnerStake = pools.getStake(V2, ck(validator2), netuid);
        b.settlementOwed = _settlementOwed(netuid);
        b.rootOwed = _rootOwed(netuid);
        b.bobRootClaimable = rootDividends.rootClaimable(V1, ck(bob), netuid);
        b.unowned = _unownedAlpha(netuid);
        b.issuance = _books(netuid).alphaIssuanceRao;
    }

    /// @dev Closes, submits and finalises the next epoch with the standard split.
    function _finalisedStandard() internal returns (Draft memory d) {
        uint32 epoch = _close(netuid);
        d = _standardDraft(epoch);
        _submit(d);
        _finalise(d);
    }

    /// @dev The next epoch with miners M1 and M2 given these amounts.
    function _nextWithTwoMiners(uint256 m1, uint256 m2) internal returns (Draft memory) {
        uint32 epoch = _close(netuid);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = _leaf(uidM1, M1, m1, 0, 0);
        leaves[1] = _leaf(uidM2, M2, m2, 0, 0);
        return _draft(netuid, epoch, leaves, new IEpochSettlement.ValidatorPayout[](0));
    }

    /// @dev Registers neurons until the subnet is full (fillers register their own accounts as hotkeys).
    function _fillSubnet() internal {
        uint256 maxUids = registry.hyperparameters(netuid).maxUids;
        for (uint256 i = metagraph.neuronCount(netuid); i < maxUids; ++i) {
            address filler = address(uint160(0xF1_0000 + i));
            _registerNeuron(netuid, filler, pools.coldkeyOf(filler));
        }
    }

    /// @dev Fills the subnet, moves past the fillers' immunity and registers a newcomer, which replaces the
    /// non-immune uid with the lowest emission. Returns the newcomer's hotkey.
    function _replaceLowestUid() internal returns (bytes32 newcomer) {
        _fillSubnet();
        address who = address(0xF2_0001);
        newcomer = pools.coldkeyOf(who);
        _registerNeuron(netuid, who, newcomer);
    }
}

/// @notice A subnet above 256 uids, where the permits take more than one word.
contract EpochSettlementLargeSubnetTest is SettlementBase {
    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.maxUids = 300;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        for (uint256 i = metagraph.neuronCount(netuid); i < 256; ++i) {
            address filler = address(uint160(0xF1_0000 + i));
            _registerNeuron(netuid, filler, pools.coldkeyOf(filler));
        }
        assertEq(metagraph.neuronCount(netuid), 256, "256 uids: one permit word");
    }

    /// @dev Regression: a neuron registered between the snapshot and finalisation that crossed a multiple of 256
    /// uids made the report's permit words one short of the metagraph's, so finalisation reverted for ever (uids
    /// never go away) and the subnet's epochs stopped. Neurons registered after the snapshot have no permit.
    function test_regression_neuronRegisteredAfterTheSnapshotAcross256Uids() public {
        uint32 epoch = _close(netuid);
        IEpochSettlement.ValidatorPayout[] memory validators = new IEpochSettlement.ValidatorPayout[](1);
        validators[0] = _payout(V1, uidV1, _pot(netuid, epoch).validatorAlphaRao / 2, 0);
        Draft memory d = _draft(netuid, epoch, new Leaf[](0), validators);
        assertEq(d.permitWords.length, 1, "the snapshot's permit words");
        _submit(d);
        address late = address(0xF2_0002);
        uint16 uid = _registerNeuron(netuid, late, pools.coldkeyOf(late));
        assertEq(uid, 256, "the 257th uid");
        _finalise(d);
        assertTrue(metagraph.hasValidatorPermit(netuid, uidV1), "V1's permit");
        assertTrue(!metagraph.hasValidatorPermit(netuid, 256), "the late neuron has none");
        assertEq(_settleEmpty(netuid), epoch + 1, "epochs go on");
    }
}
