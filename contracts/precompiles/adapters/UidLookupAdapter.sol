// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMetagraph} from "../../interfaces/IMetagraph.sol";
import {IUidLookupPrecompile} from "../IUidLookupPrecompile.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title UidLookupAdapter
/// @notice Bittensor's uid lookup precompile (0x806) answered by the model's metagraph.
/// @dev In the model a hotkey proves control through its EVM account: the hotkey associated with an EVM address is
/// that address's mapped id. So the lookup returns the uid of that hotkey (at most one), with its registration block
/// as the association block. `limit` 0 scans nothing and returns nothing, as on the chain.
contract UidLookupAdapter is PrecompileAdapter, IUidLookupPrecompile {
    IMetagraph internal immutable METAGRAPH;

    constructor(IMetagraph metagraph, address courier) PrecompileAdapter(courier) {
        METAGRAPH = metagraph;
    }

    /// @inheritdoc IUidLookupPrecompile
    function uidLookup(
        uint16 netuid,
        address evmAddress,
        uint16 limit
    ) external view returns (LookupItem[] memory matches) {
        if (limit == 0) return matches;
        (bool registered, uint16 uid) = METAGRAPH.uidOf(netuid, _coldkeyOf(evmAddress));
        if (!registered) return matches;
        IMetagraph.NeuronView[] memory list = METAGRAPH.neurons(netuid, uid, 1);
        matches = new LookupItem[](1);
        matches[0] = LookupItem(uid, list[0].registeredAt);
    }
}
