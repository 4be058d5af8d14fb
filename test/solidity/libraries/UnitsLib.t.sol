// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {AccountIdLib} from "../../../contracts/libraries/AccountIdLib.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";

contract UnitsHarness {
    function toRaoExact(uint256 amountWei) external pure returns (uint256) {
        return UnitsLib.toRaoExact(amountWei);
    }
}

/// @notice wei ↔ rao conversions and the EVM address → account id mapping.
contract UnitsLibTest is Assertions {
    UnitsHarness internal harness = new UnitsHarness();

    function testFuzz_toRaoExact_roundTrip(uint64 rao) public view {
        assertEq(harness.toRaoExact(UnitsLib.toWei(rao)), rao, "toRaoExact(toWei(x)) == x");
        assertEq(UnitsLib.toRaoDown(UnitsLib.toWei(rao)), rao, "toRaoDown(toWei(x)) == x");
    }

    function testFuzz_RevertWhen_toRaoExact_notWholeRao(uint256 amountWei) public {
        amountWei = _bound(amountWei, 0, type(uint128).max);
        if (amountWei % 1e9 == 0) amountWei += 1;
        VM.expectRevert(abi.encodeWithSelector(UnitsLib.NotWholeRao.selector, amountWei));
        harness.toRaoExact(amountWei);
    }

    function test_toRaoDown_truncates() public pure {
        assertEq(UnitsLib.toRaoDown(1e9 - 1), 0, "below one rao");
        assertEq(UnitsLib.toRaoDown(3e9 + 7), 3, "truncates");
    }

    /// @dev Expected ids are blake2b-256("evm:" ‖ address), computed independently (Python hashlib).
    function test_evmToAccountId_knownVectors() public view {
        assertEq(
            AccountIdLib.evmToAccountId(address(1)),
            0xc16e18ed0b2d27d6fd0dc832a699af7d3adf762cd6d51d780abc460476ad1c58,
            "0x01"
        );
        assertEq(
            AccountIdLib.evmToAccountId(address(0xA11CE)),
            0x291e1a27f25ea53670f832ba7b54dd2fa0dbbc458a087e7c7c6e483d28a4d119,
            "0xa11ce"
        );
        assertEq(
            AccountIdLib.evmToAccountId(0xd43593c715Fdd31c61141ABd04a99FD6822c8558),
            0xa7839fbfca6da129ff9e2ff521115b7eb4213b215086fc3416c7a340e944cc49,
            "0xd435..8558"
        );
    }
}
