// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMetagraph} from "../../interfaces/IMetagraph.sol";
import {UnitsLib} from "../../libraries/UnitsLib.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title NeuronAdapter
/// @notice The registration part of Bittensor's neuron precompile (0x804) answered by the model: `burnedRegister`
/// and `registerLimit`, with the caller's mapped account as the coldkey that pays and owns the hotkey.
/// @dev Warning (divergence): the runtime burns the registration cost from the caller's balance; here the caller
/// attaches it as `msg.value` (whole rao); what the burn does not use comes back without a call. Without enough
/// value the call fails, as it fails on the chain without enough balance.
/// @dev Not answered (they fail): weights and serving. The model's metagraph sets a hotkey's weights from the hotkey's
/// own EVM account (`IMetagraph.setWeights`), which an origin cannot act for.
/// @dev Warning: holds the metagraph's ORIGIN_ROLE: it registers hotkeys for the coldkey it computes from its caller.
contract NeuronAdapter is PrecompileAdapter {
    IMetagraph internal immutable METAGRAPH;

    constructor(IMetagraph metagraph, address courier) PrecompileAdapter(courier) {
        METAGRAPH = metagraph;
    }

    /// @dev The metagraph refunds the part of the value the burn did not use; nothing else may send TAO.
    receive() external payable override {
        if (msg.sender != address(METAGRAPH)) _fail();
    }

    /// @notice Registers `hotkey` on `netuid` at the current burn, paid from the attached value.
    function burnedRegister(uint16 netuid, bytes32 hotkey) external payable {
        _register(netuid, hotkey, type(uint64).max);
    }

    /// @notice Registers `hotkey` on `netuid` unless the burn is above `limitPriceRao` (the whole cost, in rao).
    function registerLimit(uint16 netuid, bytes32 hotkey, uint64 limitPriceRao) external payable {
        _register(netuid, hotkey, limitPriceRao);
    }

    function _register(uint16 netuid, bytes32 hotkey, uint256 maxBurnRao) internal {
        uint256 balanceRao = UnitsLib.weiToRaoDown(msg.value);
        if (balanceRao < maxBurnRao) maxBurnRao = balanceRao;
        uint256 held = address(this).balance - msg.value;
        try
            METAGRAPH.burnedRegisterFor{value: UnitsLib.raoToWei(balanceRao)}(
                _coldkeyOf(msg.sender),
                netuid,
                hotkey,
                maxBurnRao
            )
        {} catch {
            _fail();
        }
        _credit(msg.sender, address(this).balance - held);
    }
}
