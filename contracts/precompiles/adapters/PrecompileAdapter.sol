// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccountIdLib} from "../../libraries/AccountIdLib.sol";
import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {IModelAdapter} from "./IModelAdapter.sol";

/// @title PrecompileAdapter
/// @notice What every adapter shares: it answers the ABI of a Bittensor precompile from the subnet economy model and
/// fails the way the chain fails.
/// @dev The chain's failures are EVM errors, not reverts: they consume the gas forwarded to the call and return no
/// data. An adapter that meets a failure of the model (a revert it catches, or a check of its own) ends with the
/// INVALID opcode, which does exactly that. Unknown selectors fail the same way. The adapters emit no events.
/// @dev Warning: adapters are for a local chain or an EVM chain without Bittensor's runtime; they trust the model
/// contracts they were built with (immutables) and hold the model's ORIGIN role.
abstract contract PrecompileAdapter is IModelAdapter {
    /// @dev Credits TAO to a contract without calling it (see `DirectCreditCourier`).
    address internal immutable COURIER;

    constructor(address courier) {
        COURIER = courier;
    }

    /// @inheritdoc IModelAdapter
    function isModelAdapter() external pure returns (bool) {
        return true;
    }

    /// @dev An unknown selector: the chain's precompile fails and consumes the forwarded gas.
    fallback() external payable {
        _fail();
    }

    /// @dev Plain value fails too, unless an adapter takes TAO back from the model.
    receive() external payable virtual {
        _fail();
    }

    /// @dev The chain's failure: an EVM error that consumes the forwarded gas and returns nothing.
    function _fail() internal pure {
        assembly ("memory-safe") {
            invalid()
        }
    }

    /// @dev `_fail` for a view the model cannot answer (the ABI says view, so the function may not be pure).
    function _failView() internal view {
        if (block.number != 0) _fail();
    }

    /// @dev A constant answer of a getter whose ABI mutability is `view` (as the precompile declares it), for data the
    /// model does not keep; the block read only keeps the function a view.
    function _constantView(uint256 value) internal view returns (uint256) {
        if (block.number == 0) return value;
        return value;
    }

    /// @dev The coldkey of an EVM caller: its mapped account id, as the chain computes it.
    function _coldkeyOf(address account) internal view returns (bytes32) {
        return AccountIdLib.evmToAccountId(account);
    }

    /// @dev A netuid passed as `uint256` must fit the chain's u16, else the call fails.
    function _netuid(uint256 netuid) internal pure returns (uint16) {
        if (netuid > type(uint16).max) _fail();
        return uint16(netuid);
    }

    /// @dev Credits `amountWei` to `to` without running its code, as the chain credits a balance.
    function _credit(address to, uint256 amountWei) internal {
        if (amountWei == 0) return;
        (bool ok, ) = COURIER.call{value: amountWei}(abi.encodePacked(to));
        if (!ok) _fail();
    }

    /// @dev The chain's amounts are u64; the staking precompile saturates larger `uint256` amounts.
    function _saturate(uint256 amount) internal pure returns (uint256) {
        return UnitsLib.toU64Saturating(amount);
    }
}
