// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";

import {Attacker} from "./Attacker.sol";
import {SecurityBase} from "./SecurityBase.sol";

/// @notice Finding 1: a flash root stake steered the chain buy. The alpha-in cap is the root proportion × the alpha
/// emission; a catch-up that read root TAO live let one transaction (stake on root, poke, unstake) lift the cap, turn
/// the chain buy into an injection and buy alpha before the price rose. The coinbase now sees root TAO as of the end
/// of the previous block.
contract RegressionFlashRootTest is SecurityBase {
    uint16 internal netuid;
    Attacker internal attacker;

    uint256 internal constant FLASH_ROOT_RAO = 10_000 * TAO;
    uint256 internal constant BUY_RAO = 10 * TAO;

    struct Outcome {
        uint256 alphaBought; // what the attacker's 10 TAO bought right after the catch-up
        uint256 poolTaoRao; // the pool after the catch-up and the buy
        uint256 poolAlphaRao;
        uint256 unownedAlphaRao; // alpha the chain buy took out of the pool
        uint256 holderValueRao; // what alice's stake sells for afterwards
        uint256 attackerCostRao; // TAO the attacker spent in the transaction
    }

    function setUp() public override {
        super.setUp();
        netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        // Honest root stake (bob) and an honest holder of the subnet (alice).
        _stake(bob, OWNER1_HOTKEY, ROOT, 50 * TAO);
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        pools.poke(netuid);
        attacker = _newAttacker(100_000 * TAO);
        // Nine blocks of emission wait; the scenarios move one more block and catch the subnet up there.
        _advance(9);
    }

    function _buy() internal view returns (Attacker.Call memory) {
        return
            _call(
                address(pools),
                BUY_RAO,
                abi.encodeCall(IAlphaPools.addStake, (OWNER1_HOTKEY, netuid, 0, NO_DEADLINE))
            );
    }

    function _poke() internal view returns (Attacker.Call memory) {
        return _call(address(pools), 0, abi.encodeCall(IAlphaPools.poke, (netuid)));
    }

    function _rootStake(uint256 rao) internal view returns (Attacker.Call memory) {
        return _call(address(pools), rao, abi.encodeCall(IAlphaPools.addStake, (OWNER1_HOTKEY, ROOT, 0, NO_DEADLINE)));
    }

    function _rootUnstake(uint256 rao) internal view returns (Attacker.Call memory) {
        return
            _call(
                address(pools),
                0,
                abi.encodeCall(IAlphaPools.removeStake, (OWNER1_HOTKEY, ROOT, rao, 0, NO_DEADLINE))
            );
    }

    function _outcome(bytes[] memory results, uint256 balanceBefore) internal view returns (Outcome memory o) {
        o.alphaBought = abi.decode(results[results.length - 1], (uint256));
        IAlphaPoolsTypes.Pool memory p = _pool(netuid);
        (o.poolTaoRao, o.poolAlphaRao) = (p.taoRao, p.alphaRao);
        o.unownedAlphaRao = _emission(netuid).unownedAlphaRao;
        uint256 aliceAlpha = pools.getStake(OWNER1_HOTKEY, ck(alice), netuid);
        o.holderValueRao = views.quote(pools, netuid, aliceAlpha, false);
        o.attackerCostRao = (balanceBefore - address(attacker).balance) / WEI_PER_RAO;
    }

    function _assertSame(Outcome memory a, Outcome memory b) internal pure {
        assertEq(a.alphaBought, b.alphaBought, "the attacker buys the same alpha");
        assertEq(a.poolTaoRao, b.poolTaoRao, "pool TAO");
        assertEq(a.poolAlphaRao, b.poolAlphaRao, "pool alpha");
        assertEq(a.unownedAlphaRao, b.unownedAlphaRao, "the chain buy took the same alpha");
        assertEq(a.holderValueRao, b.holderValueRao, "the holder keeps the same value");
        assertEq(a.attackerCostRao, b.attackerCostRao, "the attacker pays the same");
    }

    /// @dev No attack: the attacker catches the subnet up and buys.
    function _baseline() internal returns (Outcome memory) {
        _advance(1);
        uint256 before = address(attacker).balance;
        bytes[] memory results = attacker.execute(_calls(_poke(), _buy()));
        return _outcome(results, before);
    }

    /// @dev Ten blocks of emission (10 TAO, all to this subnet) catch up in the attack's block. Root TAO as the
    /// coinbase sees it is bob's 50 TAO, so the root proportion is 50 × 0.18 / (50 × 0.18 + ~100 alpha) ≈ 8 % and the
    /// alpha-in cap is ≈ 0.8 alpha: most of the 10 TAO is a chain buy, which lifts the price.
    /// Without the attack the attacker's 10 TAO buy 6.421158564 alpha and alice's stake sells for 13.472824546 TAO.
    /// With the flash stake (10,000 TAO on root, poke, unstake, buy, all in one transaction) every number is the
    /// same: the coinbase saw 50 TAO of root. Had it counted the flash stake (the control below: the same stake held
    /// from the previous block, which is real root stake), the cap would have covered the whole injection, the chain
    /// buy would have taken 0.99 alpha instead of 7.75, and the attacker's 10 TAO would have bought 7.493518263 alpha
    /// (16.7 % more) while alice's stake fell to 11.717248195 TAO (−13 %).
    function test_Regression_FlashRootStake_capSeesPreviousBlockRoot() public {
        uint256 id = _snapshot();
        Outcome memory base = _baseline();
        assertEq(base.alphaBought, 6_421_158_564, "baseline alpha for 10 TAO");
        assertEq(base.holderValueRao, 13_472_824_546, "baseline holder value");
        _restore(id);

        _advance(1);
        uint256 before = address(attacker).balance;
        bytes[] memory results = attacker.execute(
            _calls(_rootStake(FLASH_ROOT_RAO), _poke(), _rootUnstake(FLASH_ROOT_RAO), _buy())
        );
        Outcome memory flash = _outcome(results, before);
        _assertSame(flash, base);
        assertEq(flash.attackerCostRao, BUY_RAO, "the root round trip is free: the attacker paid only its buy");
        assertEq(_rootStake().taoRao, 50 * TAO, "root is back to bob's stake");
        _assertTaoConserved(10);
        _assertAlphaConserved(netuid, _list(OWNER1_HOTKEY));
        _restore(id);

        // Control: the test is sensitive to the root TAO the coinbase sees.
        attacker.execute(_calls(_rootStake(FLASH_ROOT_RAO)));
        _advance(1);
        before = address(attacker).balance;
        results = attacker.execute(_calls(_poke(), _rootUnstake(FLASH_ROOT_RAO), _buy()));
        Outcome memory held = _outcome(results, before + _wei(FLASH_ROOT_RAO));
        assertEq(held.alphaBought, 7_493_518_263, "root stake held over a block lifts the cap: alpha is cheaper");
        assertEq(held.holderValueRao, 11_717_248_195, "and the holders lose");
        assertLt(held.unownedAlphaRao, base.unownedAlphaRao, "a smaller chain buy");
    }

    /// @dev The reverse steering: a root whale that held 10,000 TAO of root stake before this block unstakes it,
    /// pokes (the cap would shrink to ≈ 0.8 alpha and the chain buy would lift the price), and restakes, all in one
    /// transaction. The coinbase still sees the 10,050 TAO of the previous block: the outcome is the one of the
    /// whale simply holding (7.493518263 alpha for 10 TAO), to the alpha-rao.
    function test_Regression_FlashRootStake_flashUnstakeCannotShrinkCap() public {
        attacker.execute(_calls(_rootStake(FLASH_ROOT_RAO)));
        uint256 id = _snapshot();
        _advance(1);
        uint256 before = address(attacker).balance;
        Outcome memory held = _outcome(attacker.execute(_calls(_poke(), _buy())), before);
        _restore(id);

        _advance(1);
        before = address(attacker).balance;
        bytes[] memory results = attacker.execute(
            _calls(_rootUnstake(FLASH_ROOT_RAO), _poke(), _rootStake(FLASH_ROOT_RAO), _buy())
        );
        Outcome memory flash = _outcome(results, before);
        _assertSame(flash, held);
        assertEq(flash.alphaBought, 7_493_518_263, "the whale's held root stake counts, its flash exit does not");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(address(attacker)), ROOT), FLASH_ROOT_RAO, "restaked");
    }
}
