// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title DirectCreditCourier
/// @notice Credits the TAO it is sent to the 20-byte address that follows in the calldata, without running that
/// address's code: the way Bittensor credits unstaked TAO to a contract whose `receive()` would refuse it.
/// @dev SELFDESTRUCT moves the courier's whole balance to the target without a call; since EIP-6780 a contract not
/// created in the same transaction is not removed, so one courier serves every transfer (about 17k gas, against
/// ~50k for a fresh courier per transfer). Its balance is zero between calls, so anyone may use it.
contract DirectCreditCourier {
    fallback() external payable {
        address payable to = payable(address(bytes20(msg.data)));
        selfdestruct(to);
    }
}
