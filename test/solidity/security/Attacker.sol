// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Attacker
/// @notice An attacker's contract: runs any sequence of calls in ONE transaction (a flash stake, a spot move, a
/// poke...) as its own coldkey, and can re-enter a chosen target once from its receive hook, recording what happened
/// and what a view returned at that moment (read-only reentrancy).
contract Attacker {
    struct Call {
        address target;
        uint256 value;
        bytes data;
    }

    address public reentryTarget;
    uint256 public reentryValue;
    bytes public reentryData;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryError;

    address public viewTarget;
    bytes public viewData;
    bytes public viewSeen;

    bool public rejectTao;
    uint256 public receipts;
    uint256 public receivedWei;

    /// @notice Runs `calls` in order; any failure reverts the whole transaction with its own error.
    function execute(Call[] calldata calls) external payable returns (bytes[] memory results) {
        results = new bytes[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call{value: calls[i].value}(calls[i].data);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
            results[i] = ret;
        }
    }

    /// @notice The next TAO received calls `target` with `data` (once), catching its failure.
    function armReentry(address target, uint256 value, bytes calldata data) external {
        (reentryTarget, reentryValue, reentryData) = (target, value, data);
        (reentryAttempted, reentrySucceeded) = (false, false);
        delete reentryError;
    }

    /// @notice Every TAO receipt reads this view and keeps its answer.
    function watch(address target, bytes calldata data) external {
        (viewTarget, viewData) = (target, data);
    }

    function setRejectTao(bool reject) external {
        rejectTao = reject;
    }

    receive() external payable {
        if (rejectTao) revert("no TAO please");
        receipts += 1;
        receivedWei += msg.value;
        if (viewTarget != address(0)) {
            (, bytes memory seen) = viewTarget.staticcall(viewData);
            viewSeen = seen;
        }
        if (reentryTarget != address(0) && !reentryAttempted) {
            reentryAttempted = true;
            (bool ok, bytes memory ret) = reentryTarget.call{value: reentryValue}(reentryData);
            (reentrySucceeded, reentryError) = (ok, ret);
        }
    }
}
