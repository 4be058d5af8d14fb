// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title FundFactory
/// @notice Deploys funds as clones (EIP-1167) of the three strategy implementations and lists them for the dApp.
/// @dev A fund is cloned at an address fixed by (creator, salt), then initialised in the same transaction with the
/// calldata given, which must call the strategy's initializer; nobody can initialise a fund between the two.
contract FundFactory {
    enum Kind {
        Mining,
        Allocator,
        Index
    }

    /// @notice The implementation each kind is cloned from.
    address public immutable MINING_IMPLEMENTATION;
    address public immutable ALLOCATOR_IMPLEMENTATION;
    address public immutable INDEX_IMPLEMENTATION;

    address[] private _funds;
    mapping(address fund => bool) public isFund;

    event FundCreated(
        address indexed fund,
        Kind indexed kind,
        address indexed creator,
        address implementation,
        string name,
        string symbol
    );

    error InitializationFailed(address fund);
    error ZeroImplementation(Kind kind);

    constructor(address mining, address allocator, address index) {
        if (mining == address(0)) revert ZeroImplementation(Kind.Mining);
        if (allocator == address(0)) revert ZeroImplementation(Kind.Allocator);
        if (index == address(0)) revert ZeroImplementation(Kind.Index);
        MINING_IMPLEMENTATION = mining;
        ALLOCATOR_IMPLEMENTATION = allocator;
        INDEX_IMPLEMENTATION = index;
    }

    /// @notice Clones the implementation of `kind` and initialises it with `initData` (its initializer call).
    function createFund(Kind kind, bytes32 salt, bytes calldata initData) external returns (address fund) {
        address implementation = implementationOf(kind);
        fund = Clones.cloneDeterministic(implementation, _salt(msg.sender, salt));
        (bool ok, bytes memory ret) = fund.call(initData);
        if (!ok) {
            if (ret.length == 0) revert InitializationFailed(fund);
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        _funds.push(fund);
        isFund[fund] = true;
        emit FundCreated(
            fund,
            kind,
            msg.sender,
            implementation,
            IERC20Metadata(fund).name(),
            IERC20Metadata(fund).symbol()
        );
    }

    /// @notice The address `creator` gets for `salt` and `kind`, before it exists.
    function predictFund(Kind kind, address creator, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(implementationOf(kind), _salt(creator, salt));
    }

    function implementationOf(Kind kind) public view returns (address) {
        if (kind == Kind.Mining) return MINING_IMPLEMENTATION;
        if (kind == Kind.Allocator) return ALLOCATOR_IMPLEMENTATION;
        return INDEX_IMPLEMENTATION;
    }

    /// @notice Every fund created, oldest first.
    function funds() external view returns (address[] memory) {
        return _funds;
    }

    function fundCount() external view returns (uint256) {
        return _funds.length;
    }

    function _salt(address creator, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, salt));
    }
}
