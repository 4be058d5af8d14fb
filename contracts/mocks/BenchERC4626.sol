// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @notice OpenZeppelin's plain ERC-4626 vault over an ERC-20, the gas baseline of the liquid alpha vault in the
/// benchmarks. Never deployed by the product.
contract BenchERC4626 is ERC4626 {
    constructor(IERC20 asset_) ERC20("Bench vault", "BV") ERC4626(asset_) {}
}
