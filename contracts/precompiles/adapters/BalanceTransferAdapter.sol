// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {IBalanceTransferPrecompile} from "../IBalanceTransferPrecompile.sol";
import {IBalanceTransferAdapterExtension} from "./IModelAdapter.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title BalanceTransferAdapter
/// @notice Bittensor's balance transfer precompile (0x800): sends the attached TAO, in whole rao, to a 32-byte
/// account.
/// @dev Warning (divergence): an EVM chain cannot credit an account id that is not an EVM address. The adapter holds
/// the TAO for the EVM account whose mapped id (blake2b_256("evm:" ‖ address)) the destination is, and that account
/// takes it with `withdrawHeld` (an adapter extension). A destination that no EVM account maps to keeps it forever.
/// @dev As on the chain, only whole rao move: `msg.value / 1e9` rao is credited and the sub-rao rest (all of a value
/// below 1e9 wei) goes back to the caller, as a Bittensor account never parts with it. No existential deposit is
/// required of a new destination.
contract BalanceTransferAdapter is PrecompileAdapter, IBalanceTransferPrecompile, IBalanceTransferAdapterExtension {
    mapping(bytes32 accountId => uint256 amountRao) internal _heldRao;

    error HeldTransferFailed(address to, uint256 amountWei);

    constructor(address courier) PrecompileAdapter(courier) {}

    /// @inheritdoc IBalanceTransferPrecompile
    function transfer(bytes32 destination) external payable {
        uint256 amountRao = UnitsLib.weiToRaoDown(msg.value);
        _heldRao[destination] += amountRao;
        _credit(msg.sender, msg.value - UnitsLib.raoToWei(amountRao));
    }

    /// @inheritdoc IBalanceTransferAdapterExtension
    function heldRao(bytes32 accountId) external view returns (uint256) {
        return _heldRao[accountId];
    }

    /// @inheritdoc IBalanceTransferAdapterExtension
    function withdrawHeld() external returns (uint256 amountRao) {
        bytes32 accountId = _coldkeyOf(msg.sender);
        amountRao = _heldRao[accountId];
        delete _heldRao[accountId];
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        (bool ok, ) = msg.sender.call{value: amountWei}("");
        if (!ok) revert HeldTransferFailed(msg.sender, amountWei);
    }
}
