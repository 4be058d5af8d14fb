// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LiquidAlphaVault} from "./LiquidAlphaVault.sol";

/// @title LiquidVaultCode
/// @notice A data contract whose code is a STOP byte followed by `LiquidAlphaVault`'s creation code, which
/// `LiquidVaultFactory` copies to create vaults. Keeping the creation code out of the factory keeps the factory small
/// (the vault's creation code alone is close to the 24 KB code size limit).
/// @dev The leading STOP makes a call to this contract end at once instead of running the creation code.
contract LiquidVaultCode {
    constructor() {
        bytes memory code = abi.encodePacked(hex"00", type(LiquidAlphaVault).creationCode);
        assembly ("memory-safe") {
            return(add(code, 32), mload(code))
        }
    }
}
