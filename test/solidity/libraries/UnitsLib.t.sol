// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";

contract UnitsLibHarness {
    function weiToRaoExact(uint256 amountWei) external pure returns (uint256) {
        return UnitsLib.weiToRaoExact(amountWei);
    }
}

/// @notice wei ↔ rao, prices in 1e18 ↔ rao per alpha, and alpha values.
contract UnitsLibTest is Assertions {
    UnitsLibHarness internal harness = new UnitsLibHarness();

    function testFuzz_weiToRao_roundTrip(uint64 rao) public view {
        assertEq(harness.weiToRaoExact(UnitsLib.raoToWei(rao)), rao, "weiToRaoExact(raoToWei(x)) == x");
        assertEq(UnitsLib.weiToRaoDown(UnitsLib.raoToWei(rao)), rao, "weiToRaoDown(raoToWei(x)) == x");
        assertEq(UnitsLib.raoToWei(rao), uint256(rao) * 1e9, "1 rao = 1e9 wei");
    }

    function testFuzz_RevertWhen_weiToRaoExact_notWholeRao(uint256 amountWei) public {
        amountWei = _bound(amountWei, 0, type(uint128).max);
        if (amountWei % 1e9 == 0) amountWei += 1;
        VM.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, amountWei));
        harness.weiToRaoExact(amountWei);
    }

    function test_weiToRaoDown_truncates() public view {
        assertEq(UnitsLib.weiToRaoDown(1e9 - 1), 0, "below one rao");
        assertEq(UnitsLib.weiToRaoDown(3e9 + 7), 3, "truncates");
        assertEq(harness.weiToRaoExact(0), 0, "zero is whole");
    }

    function test_wadToRaoPerAlphaDown() public pure {
        assertEq(UnitsLib.wadToRaoPerAlphaDown(1e18), 1e9, "1 TAO per alpha = 1e9 rao per alpha");
        assertEq(UnitsLib.wadToRaoPerAlphaDown(1.5e18), 1.5e9, "1.5 TAO");
        assertEq(UnitsLib.wadToRaoPerAlphaDown(1e9 - 1), 0, "below a rao per alpha");
        assertEq(UnitsLib.wadToRaoPerAlphaDown(3e9 + 1), 3, "rounds down");
    }

    function testFuzz_wadToRaoPerAlphaDown_roundsDown(uint256 priceWad) public pure {
        priceWad = _bound(priceWad, 0, type(uint128).max);
        uint256 rao = UnitsLib.wadToRaoPerAlphaDown(priceWad);
        assertLe(rao * 1e9, priceWad, "<= exact");
        assertGt((rao + 1) * 1e9, priceWad, "+1 > exact");
    }

    function test_alphaToRaoDown() public pure {
        assertEq(UnitsLib.alphaToRaoDown(2e9, 1.5e9), 3e9, "2 alpha at 1.5 TAO = 3 TAO");
        assertEq(UnitsLib.alphaToRaoDown(1, 1e9 - 1), 0, "one alpha-rao below 1 TAO rounds to 0");
        assertEq(UnitsLib.alphaToRaoDown(3, 5e8), 1, "1.5 rao -> 1");
    }

    function testFuzz_alphaToRaoDown_roundsDown(uint256 alphaRao, uint256 price) public pure {
        alphaRao = _bound(alphaRao, 0, type(uint64).max);
        price = _bound(price, 0, 1e15);
        uint256 rao = UnitsLib.alphaToRaoDown(alphaRao, price);
        assertLe(rao * 1e9, alphaRao * price, "<= exact");
        assertGt((rao + 1) * 1e9, alphaRao * price, "+1 > exact");
    }
}
