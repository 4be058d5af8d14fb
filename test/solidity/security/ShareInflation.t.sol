// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";

import {SecurityBase} from "./SecurityBase.sol";

/// @notice Share inflation and donation against hotkey pools (the ERC-4626 first-depositor attack). A hotkey pool's
/// shares gain value without new shares in one way only: a validator's dividend vesting into the pool (or, when the
/// last holder leaves before it vests, going to the hotkey's owner). An attacker that shrinks a pool to dust before a
/// dividend must not be able to absorb a later staker's alpha, and no path may hand a newcomer alpha it did not buy.
contract ShareInflationTest is SecurityBase {
    uint16 internal netuid;
    bytes32 internal attackerHotkey; // carol's validator hotkey
    uint256 internal constant TEMPO = 20;

    function setUp() public override {
        super.setUp();
        netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        attackerHotkey = _hotkey(carol, carol);
        _registerNeuron(netuid, carol, attackerHotkey);
        // A long stretch of emission waits, so epoch pots are large enough for any dividend below.
        _advance(1_000);
        pools.poke(netuid);
    }

    function _valueOf(address who) internal view returns (uint256) {
        return pools.getStake(attackerHotkey, ck(who), netuid);
    }

    /// @dev Value of one share of the pool now (what rounding can cost a deposit), rounded up.
    function _oneShareRao() internal view returns (uint256) {
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(attackerHotkey, netuid);
        return
            Math.ceilDiv(
                uint256(hp.alphaRao) + SharesMath.VIRTUAL_ALPHA,
                uint256(hp.shares) + SharesMath.VIRTUAL_SHARES
            );
    }

    /// @dev Carol stakes on her own hotkey and unstakes all but `keepAlphaRao`, then a dividend vests into the dust
    /// pool: the inflation set-up.
    function _inflate(uint256 keepAlphaRao, uint256 dividendAlphaRao) internal returns (uint256 dividend) {
        uint256 alpha = _stake(carol, attackerHotkey, netuid, TAO);
        _unstake(carol, attackerHotkey, netuid, alpha - keepAlphaRao);
        assertEq(_valueOf(carol), keepAlphaRao, "dust left");
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        uint256 available = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao;
        dividend = dividendAlphaRao > available ? available : dividendAlphaRao;
        vm.prank(settler);
        pools.creditDividend(netuid, generation, attackerHotkey, ck(carol), dividend);
        _advance(TEMPO);
        assertEq(pools.hotkeyPool(attackerHotkey, netuid).unvestedAlphaRao, 0, "fully vested");
    }

    /// @dev One alpha-rao of dust, then a 100-alpha dividend: without virtual shares one share would be worth the
    /// whole dividend and a victim's smaller stake would mint no share. With them, the dust gets half the dividend
    /// (the other half stays with the virtual shares), and a victim's 1 TAO stake keeps its value to one share.
    function test_Attack_ShareInflation_dustPoolThenVestingDividend() public {
        uint256 dividend = _inflate(1, 100 * TAO);
        assertEq(dividend, 100 * TAO, "the whole dividend was credited");
        uint256 attackerValue = _valueOf(carol);
        assertLe(attackerValue, (dividend + 2) / 2, "the dust position gets at most half the dividend");
        uint256 oneShare = _oneShareRao();
        assertEq(oneShare, 51, "one share is worth 51 alpha-rao: (1e11 + 2) / 2e9, rounded up");

        uint256 bought = _stake(alice, attackerHotkey, netuid, TAO);
        uint256 victimValue = _valueOf(alice);
        assertLe(victimValue, bought, "never more than bought");
        assertGe(victimValue + oneShare + 1, bought, "loses at most one share and one alpha-rao to rounding");
        assertLe(_valueOf(carol), attackerValue + oneShare + 1, "the attacker gains at most rounding");
        _assertAlphaConserved(netuid, _list(attackerHotkey, OWNER1_HOTKEY));
    }

    /// @dev The same attack over the whole range: dust of 1 … 1e6 alpha-rao, any dividend the epoch can pay, and a
    /// victim from the minimum stake to 1,000 TAO.
    function testFuzz_Attack_ShareInflation_attackerNeverAbsorbsAVictim(
        uint256 keepAlphaRao,
        uint256 dividendAlphaRao,
        uint256 victimRao
    ) public {
        keepAlphaRao = _bound(keepAlphaRao, 1, 1e6);
        dividendAlphaRao = _bound(dividendAlphaRao, 1, 1_000 * TAO);
        victimRao = _bound(victimRao, 3_000_000, 1_000 * TAO);
        _inflate(keepAlphaRao, dividendAlphaRao);
        uint256 attackerValue = _valueOf(carol);
        uint256 oneShare = _oneShareRao();
        uint256 bought = _stake(alice, attackerHotkey, netuid, victimRao);
        uint256 victimValue = _valueOf(alice);
        assertLe(victimValue, bought, "never more than bought");
        assertGe(victimValue + oneShare + 1, bought, "loses at most one share and one alpha-rao");
        assertLe(_valueOf(carol), attackerValue + oneShare + 1, "the attacker gains at most rounding");
        // And the victim can leave with it.
        uint256 out = _unstake(alice, attackerHotkey, netuid, victimValue);
        assertGt(out, 0, "the victim exits");
    }

    /// @dev A dividend to a pool without shares would be a gift to the next staker; it goes to the hotkey's owner as
    /// stake instead, and the next staker gets exactly what it bought.
    function test_Attack_ShareInflation_emptyPoolDividendGoesToTheOwner() public {
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        uint256 dividend = pot.validatorAlphaRao;
        assertEq(pools.hotkeyPool(attackerHotkey, netuid).shares, 0, "no shares");
        vm.prank(settler);
        pools.creditDividend(netuid, generation, attackerHotkey, ck(carol), dividend);
        assertEq(_valueOf(carol), dividend, "the owner holds the dividend, to the alpha-rao");
        assertEq(pools.hotkeyPool(attackerHotkey, netuid).unvestedAlphaRao, 0, "nothing vests to a newcomer");
        uint256 bought = _stake(alice, attackerHotkey, netuid, 5 * TAO);
        assertEq(_valueOf(alice), bought, "the newcomer holds what it bought, to the alpha-rao");
        assertEq(_valueOf(carol), dividend, "and the owner keeps the dividend");
    }

    /// @dev The last holder leaves while a dividend still vests: the unvested part goes to the hotkey's owner as
    /// stake, so the next staker (who could have waited for this moment) finds no unvested alpha to inherit.
    function test_Attack_ShareInflation_lastHolderLeavesUnvestedToTheOwner() public {
        uint256 aliceAlpha = _stake(alice, attackerHotkey, netuid, 10 * TAO);
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        uint256 dividend = pot.validatorAlphaRao;
        vm.prank(settler);
        pools.creditDividend(netuid, generation, attackerHotkey, ck(carol), dividend);
        _advance(TEMPO / 4);
        uint256 unvested = pools.hotkeyPool(attackerHotkey, netuid).unvestedAlphaRao;
        assertEq(unvested, dividend - (dividend * 5) / 20, "three quarters still vest");
        uint256 aliceValue = _valueOf(alice);
        assertGt(aliceValue, aliceAlpha, "alice earned the quarter that vested while she held");
        _unstake(alice, attackerHotkey, netuid, aliceValue);

        assertEq(pools.hotkeyPool(attackerHotkey, netuid).unvestedAlphaRao, 0, "nothing left vesting");
        uint256 ownerValue = _valueOf(carol);
        assertLe(ownerValue, unvested + 1, "the owner received the unvested part");
        assertGe(ownerValue + 1, unvested, "all of it, to rounding");

        // A staker arriving now gets what it bought and no part of the old dividend.
        uint256 bought = _stake(bob, attackerHotkey, netuid, 10 * TAO);
        assertLe(_valueOf(bob), bought, "no windfall");
        assertGe(_valueOf(bob) + _oneShareRao() + 1, bought, "and no loss beyond one share");
        _advance(TEMPO);
        assertLe(_valueOf(bob), bought, "still nothing vests to the newcomer");
        _assertAlphaConserved(netuid, _list(attackerHotkey, OWNER1_HOTKEY));
    }

    /// @dev Every other way alpha enters or leaves a hotkey pool mints or burns shares at the pool's price: a
    /// position moved or transferred in, a settlement credit, a burn. None raises what a share is worth by more than
    /// rounding, so none can be used as a donation.
    function test_Attack_ShareInflation_noDonationPath() public {
        _stake(alice, attackerHotkey, netuid, 10 * TAO);
        uint256 bobAlpha = _stake(bob, OWNER1_HOTKEY, netuid, 10 * TAO);
        uint256 perShareBefore = _perShareWad();

        vm.prank(bob);
        pools.moveStake(OWNER1_HOTKEY, attackerHotkey, netuid, netuid, bobAlpha / 2, 0, NO_DEADLINE);
        _assertPerShareWithinRounding(perShareBefore, "a move in");
        vm.prank(bob);
        pools.transferStake(ck(carol), OWNER1_HOTKEY, netuid, netuid, bobAlpha / 4, 0, NO_DEADLINE);
        uint256 carolAlpha = pools.getStake(OWNER1_HOTKEY, ck(carol), netuid);
        vm.prank(carol);
        pools.moveStake(OWNER1_HOTKEY, attackerHotkey, netuid, netuid, carolAlpha, 0, NO_DEADLINE);
        _assertPerShareWithinRounding(perShareBefore, "a transfer then a move in");
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        vm.prank(settler);
        pools.creditStake(netuid, generation, attackerHotkey, ck(miner1), pot.serverAlphaRao);
        _assertPerShareWithinRounding(perShareBefore, "a settlement credit");
        vm.prank(alice);
        pools.burnAlpha(attackerHotkey, netuid, 1e6);
        _assertPerShareWithinRounding(perShareBefore, "a burn");
    }

    function _perShareWad() internal view returns (uint256) {
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(attackerHotkey, netuid);
        return
            ((uint256(hp.alphaRao) + SharesMath.VIRTUAL_ALPHA) * 1e36) /
            (uint256(hp.shares) + SharesMath.VIRTUAL_SHARES);
    }

    /// @dev A share's value may only rise by the rounding of the last mint or burn (at most one alpha-rao over the
    /// pool's shares), never fall.
    function _assertPerShareWithinRounding(uint256 before, string memory what) internal view {
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(attackerHotkey, netuid);
        uint256 perShare = _perShareWad();
        assertGe(perShare, before, what);
        uint256 oneRaoPerShare = 1e36 / (uint256(hp.shares) + SharesMath.VIRTUAL_SHARES) + 1;
        assertLe(perShare - before, 4 * oneRaoPerShare, what);
    }
}
