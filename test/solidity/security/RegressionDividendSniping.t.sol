// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";

import {SecurityBase} from "./SecurityBase.sol";

/// @notice Finding 2: dividend sniping. A dividend used to raise every share of the hotkey pool at one known block, so
/// stake that arrived just before the settlement and left just after took most of the epoch's dividend (100 TAO in,
/// 118.6 TAO out in one block; the validator kept 21 % of its own dividend). A dividend now vests into the pool over
/// the next tempo, so holders earn it for the time they hold.
contract RegressionDividendSnipingTest is SecurityBase {
    uint16 internal netuid;
    bytes32 internal validatorHotkey;
    uint256 internal constant SNIPE_RAO = 100 * TAO;
    uint256 internal constant TEMPO = 20;

    function setUp() public override {
        super.setUp();
        netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        validatorHotkey = _hotkey(validator1, validator1);
        _registerNeuron(netuid, validator1, validatorHotkey);
        // The validator's own stake and a nominator that stays the whole tempo.
        _stake(validator1, validatorHotkey, netuid, 5 * TAO);
        _stake(alice, validatorHotkey, netuid, 20 * TAO);
        // An epoch of emission waits for the settlement.
        _advance(TEMPO);
        pools.poke(netuid);
    }

    /// @dev The settlement of the epoch: the validators' whole dividend goes to the one validator.
    function _settle() internal returns (uint256 dividendAlphaRao, uint256 takeAlphaRao) {
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        dividendAlphaRao = pot.validatorAlphaRao;
        takeAlphaRao = _creditDividend(netuid, generation, validatorHotkey, dividendAlphaRao);
    }

    function _stakeOf(address who) internal view returns (uint256) {
        return pools.getStake(validatorHotkey, ck(who), netuid);
    }

    /// @dev The epoch's validator dividend is 8.610048066 alpha: a take of 1.549769237 (11,796/65,535) to the
    /// validator as stake, 7.060278829 vesting into the pool. Without a sniper, after the tempo alice (a nominator
    /// the whole time) goes from 14.712447955 to 19.696450030 alpha (+4.984002075, her 70.6 % of the pool after the
    /// take's shares) and the validator from 4.579263861 to 8.205309851 (the take plus its 29.4 %).
    /// The sniper stakes 100 TAO (27.536667568 alpha) right before the settlement and leaves right after, in the same
    /// block: nothing has vested yet, so it gets 99.940054519 TAO back (the two fees) and alice and the validator end
    /// the tempo with exactly the alpha they would have had without it.
    function test_Regression_DividendSniping_sameBlockRoundTripLoses() public {
        uint256 aliceBefore = _stakeOf(alice);
        uint256 validatorBefore = _stakeOf(validator1);
        assertEq(aliceBefore, 14_712_447_955, "alice's stake");
        assertEq(validatorBefore, 4_579_263_861, "the validator's own stake");
        uint256 id = _snapshot();

        (uint256 dividend, uint256 take) = _settle();
        assertEq(dividend, 8_610_048_066, "the epoch's dividend");
        assertEq(take, 1_549_769_237, "the take");
        _advance(TEMPO);
        uint256 aliceBase = _stakeOf(alice);
        uint256 validatorBase = _stakeOf(validator1);
        assertEq(aliceBase, 19_696_450_030, "alice after the tempo, without the sniper");
        assertEq(validatorBase, 8_205_309_851, "the validator after the tempo, without the sniper");
        // Alice's pro-rata share of what vested: her alpha over the pool's once the take was staked.
        uint256 poolAfterTake = aliceBefore + validatorBefore + take;
        assertApproxAbs(
            aliceBase - aliceBefore,
            ((dividend - take) * aliceBefore) / poolAfterTake,
            2,
            "alice earned her pro-rata share"
        );
        assertApproxAbs(
            validatorBase - validatorBefore,
            take + ((dividend - take) * (validatorBefore + take)) / poolAfterTake,
            2,
            "the validator kept its take and its share"
        );
        _restore(id);

        uint256 sniped = _stake(carol, validatorHotkey, netuid, SNIPE_RAO);
        assertEq(sniped, 27_536_667_568, "the sniper's alpha");
        _settle();
        vm.prank(carol);
        uint256 taoOut = pools.removeStakeFull(validatorHotkey, netuid, 0, NO_DEADLINE);
        assertEq(taoOut, 99_940_054_519, "the sniper's TAO back");
        assertLt(taoOut, SNIPE_RAO, "the round trip does not pay");
        _advance(TEMPO);
        assertEq(_stakeOf(alice), aliceBase, "alice loses nothing to the sniper");
        assertEq(_stakeOf(validator1), validatorBase, "the validator keeps its whole share of its own dividend");
        _assertAlphaConserved(netuid, _list(validatorHotkey, OWNER1_HOTKEY));
    }

    /// @dev A sniper that stays one block after the settlement earns one block's vesting for its share of the
    /// pool, as any holder does: 7.060278829 / 20 × 56.9 % = 0.200934260 alpha, not the epoch's dividend.
    function test_Regression_DividendSniping_stayingEarnsOnlyForTheTimeHeld() public {
        uint256 sniped = _stake(carol, validatorHotkey, netuid, SNIPE_RAO);
        (uint256 dividend, uint256 take) = _settle();
        uint256 poolAlpha = pools.hotkeyPool(validatorHotkey, netuid).alphaRao;
        uint256 perBlock = (dividend - take) / TEMPO;
        _advance(1);
        uint256 gain = _stakeOf(carol) - sniped;
        assertEq(gain, 200_934_260, "one block's vesting for its share");
        assertApproxAbs(gain, (perBlock * sniped) / poolAlpha, 2, "its pro-rata share of one block");
        assertLt(gain, (dividend - take) / 10, "far below the epoch's dividend");
        // Each further block adds as much again: the dividend is earned over time, at the same rate for everyone.
        _advance(TEMPO - 1);
        assertApproxAbs(_stakeOf(carol) - sniped, ((dividend - take) * sniped) / poolAlpha, 3, "a tempo: full share");
    }
}
