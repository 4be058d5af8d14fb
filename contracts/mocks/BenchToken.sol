// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A plain OpenZeppelin ERC-20 for the Uniswap V2 gas baseline in the benchmarks. Never deployed by the
/// product.
contract BenchToken is ERC20 {
    constructor(string memory name, uint256 supply) ERC20(name, name) {
        _mint(msg.sender, supply);
    }
}
