// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title DirectTransferLib
/// @notice Credits native TAO to an account without running its code, as Bittensor credits a balance (unstaked TAO,
/// a dissolved subnet's refund): a contract receives it even if its `receive()` would refuse.
/// @dev A courier contract is created with the value and self-destructs to the recipient in its constructor; since
/// EIP-6780 a contract destroyed in the transaction that created it is removed, and SELFDESTRUCT moves the value
/// without a call. About 32k gas more than a plain transfer.
library DirectTransferLib {
    function credit(address to, uint256 amountWei) internal {
        if (amountWei != 0) new TaoCourier{value: amountWei}(payable(to));
    }
}

/// @notice Carries its value to `to` and disappears (see `DirectTransferLib`).
contract TaoCourier {
    constructor(address payable to) payable {
        selfdestruct(to);
    }
}
