// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccountIdLib} from "../../../contracts/libraries/AccountIdLib.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";

/// @dev The cheatcode that stands in for a chain without the BLAKE2b precompile.
interface MockCheatcodes {
    function mockCall(address callee, bytes calldata data, bytes calldata returnData) external;
}

contract AccountIdHarness {
    function evmToAccountId(address account) external view returns (bytes32) {
        return AccountIdLib.evmToAccountId(account);
    }
}

/// @notice The EVM address → Bittensor account id mapping: blake2b_256("evm:" ‖ address).
contract AccountIdLibTest is Assertions {
    AccountIdHarness internal harness = new AccountIdHarness();

    /// @dev Expected ids are blake2b-256("evm:" ‖ address), computed independently (Python hashlib).
    function test_evmToAccountId_knownVectors() public view {
        assertEq(
            harness.evmToAccountId(address(1)),
            0xc16e18ed0b2d27d6fd0dc832a699af7d3adf762cd6d51d780abc460476ad1c58,
            "0x01"
        );
        assertEq(
            harness.evmToAccountId(address(0xA11CE)),
            0x291e1a27f25ea53670f832ba7b54dd2fa0dbbc458a087e7c7c6e483d28a4d119,
            "0xa11ce"
        );
        assertEq(
            harness.evmToAccountId(0xd43593c715Fdd31c61141ABd04a99FD6822c8558),
            0xa7839fbfca6da129ff9e2ff521115b7eb4213b215086fc3416c7a340e944cc49,
            "0xd435..8558"
        );
    }

    /// @dev A chain without the precompile answers a call to 0x09 with an empty success: the mapping refuses to
    /// return the zero id it would otherwise read.
    function test_RevertWhen_evmToAccountId_noBlake2Precompile() public {
        MockCheatcodes(address(VM)).mockCall(address(9), "", "");
        VM.expectRevert(AccountIdLib.Blake2fFailed.selector);
        harness.evmToAccountId(address(1));
    }
}
