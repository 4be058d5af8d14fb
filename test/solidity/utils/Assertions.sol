// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Assertions
/// @notice Minimal assertion helpers: a failing assertion reverts with both values and a message.
abstract contract Assertions {
    error AssertEq(string what, uint256 actual, uint256 expected);
    error AssertEqBytes32(string what, bytes32 actual, bytes32 expected);
    error AssertEqAddress(string what, address actual, address expected);
    error AssertLe(string what, uint256 left, uint256 right);
    error AssertGe(string what, uint256 left, uint256 right);
    error AssertLt(string what, uint256 left, uint256 right);
    error AssertGt(string what, uint256 left, uint256 right);
    error AssertTrue(string what);

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert AssertEq(what, actual, expected);
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert AssertEqBytes32(what, actual, expected);
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) revert AssertEqAddress(what, actual, expected);
    }

    function assertLe(uint256 left, uint256 right, string memory what) internal pure {
        if (left > right) revert AssertLe(what, left, right);
    }

    function assertGe(uint256 left, uint256 right, string memory what) internal pure {
        if (left < right) revert AssertGe(what, left, right);
    }

    function assertLt(uint256 left, uint256 right, string memory what) internal pure {
        if (left >= right) revert AssertLt(what, left, right);
    }

    function assertGt(uint256 left, uint256 right, string memory what) internal pure {
        if (left <= right) revert AssertGt(what, left, right);
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertTrue(what);
    }

    function assertApproxAbs(uint256 a, uint256 b, uint256 maxDelta, string memory what) internal pure {
        uint256 d = a > b ? a - b : b - a;
        if (d > maxDelta) revert AssertLe(what, d, maxDelta);
    }

    /// @dev Maps any fuzz input into [lo, hi] (inclusive): a value already in range is kept, others wrap into it.
    function _bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        if (hi <= lo) return lo;
        if (x >= lo && x <= hi) return x;
        uint256 size = hi - lo;
        if (size == type(uint256).max) return x;
        return lo + (x % (size + 1));
    }
}
