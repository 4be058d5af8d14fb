// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Calls a target with a bounded amount of gas and records what the chain would show: success, return data
/// and the gas the call consumed.
contract PrecompileCaller {
    bool public lastOk;
    bytes public lastReturn;
    uint256 public lastGasUsed;

    function callWithGas(address target, uint256 gasLimit, bytes calldata data) external payable returns (bool) {
        uint256 before = gasleft();
        (bool ok, bytes memory ret) = target.call{gas: gasLimit, value: msg.value}(data);
        lastGasUsed = before - gasleft();
        lastOk = ok;
        lastReturn = ret;
        return ok;
    }

    function lastReturnLength() external view returns (uint256) {
        return lastReturn.length;
    }
}

/// @notice A contract whose `receive()` always reverts: TAO the chain credits (unstaking) must reach it anyway.
contract RejectingReceiver {
    function call(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        revert("no plain TAO");
    }
}

/// @notice A TAO receiver that re-enters a target from its `receive()` and records what it saw there.
contract ReentrantReceiver {
    address public target;
    bytes public reentryData;
    uint256 public reentryValueWei;
    bool public revertOnFailure;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryReturn;
    address public viewTarget;
    bytes public viewData;
    bytes public viewSeen;

    /// @dev `valueWei` goes with the re-entry (0 for a function that is not payable); `revertOnFailure`: make the
    /// outer payout fail with the re-entry, otherwise record the failure.
    function arm(address target_, bytes calldata data, uint256 valueWei, bool revertOnFailure_) external {
        target = target_;
        reentryData = data;
        reentryValueWei = valueWei;
        revertOnFailure = revertOnFailure_;
    }

    /// @dev A view to read during `receive()` (read-only re-entrancy).
    function watch(address target_, bytes calldata data) external {
        viewTarget = target_;
        viewData = data;
    }

    function call(address to, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        if (viewTarget != address(0)) {
            (, viewSeen) = viewTarget.staticcall(viewData);
        }
        if (target == address(0) || reentered) return;
        reentered = true;
        uint256 value = reentryValueWei <= address(this).balance ? reentryValueWei : 0;
        (reentrySucceeded, reentryReturn) = target.call{value: value}(reentryData);
        if (!reentrySucceeded && revertOnFailure) revert("re-entry refused");
    }
}
