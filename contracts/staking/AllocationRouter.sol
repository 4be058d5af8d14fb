// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {VaultAddress} from "../libraries/VaultAddress.sol";
import {VaultMath} from "../libraries/VaultMath.sol";
import {IAllocationRouter} from "./interfaces/IAllocationRouter.sol";
import {ILiquidAlphaVault} from "./interfaces/ILiquidAlphaVault.sol";
import {ILiquidVaultFactory} from "./interfaces/ILiquidVaultFactory.sol";
import {StakingClient} from "./StakingClient.sol";

/// @title AllocationRouter
/// @notice Allocates TAO across liquid alpha vaults and rebalances shares between them, holding nothing between (or
/// after) its calls.
/// @dev The router never stakes itself: each vault stakes what it is sent and mints to the receiver; a rebalance asks
/// the origin vault to move the stake straight to the destination vault's coldkey. It inherits `StakingClient` for
/// the precompile reads of `previewAllocate`.
/// @dev Warning: trusts the factory it was built with to tell its vaults; a vault it did not create is refused.
contract AllocationRouter is IAllocationRouter, StakingClient, ReentrancyGuardTransient {
    uint256 public constant MAX_LEGS = 32;
    uint256 internal constant WAD = 1e18;

    ILiquidVaultFactory public immutable FACTORY;
    /// @dev The factory's vault init code hash, to find a leg's vault without calling the factory.
    bytes32 internal immutable VAULT_INIT_CODE_HASH;

    constructor(ILiquidVaultFactory factory) StakingClient(factory.precompiles()) {
        FACTORY = factory;
        VAULT_INIT_CODE_HASH = factory.VAULT_INIT_CODE_HASH();
    }

    /// @inheritdoc IAllocationRouter
    function allocate(
        Leg[] calldata legs,
        address receiver,
        uint256 deadline
    ) external payable nonReentrant returns (uint256[] memory shares) {
        _checkDeadline(deadline);
        uint256 amountRao = UnitsLib.weiToRaoExact(msg.value);
        uint256[] memory legRao = _split(legs, amountRao);
        uint256 balanceBefore = address(this).balance - msg.value;
        shares = new uint256[](legs.length);
        for (uint256 i; i < legs.length; ++i) {
            Leg calldata leg = legs[i];
            address vault = _vaultFor(leg.netuid, leg.hotkey);
            if (vault.code.length == 0) FACTORY.createVault(leg.netuid, leg.hotkey);
            shares[i] = ILiquidAlphaVault(vault).deposit{value: UnitsLib.raoToWei(legRao[i])}(
                receiver,
                leg.minSharesOut,
                leg.limitPriceRaoPerAlpha,
                deadline
            );
        }
        _checkBalance(balanceBefore);
        emit Allocate(msg.sender, receiver, amountRao, legs.length);
    }

    /// @inheritdoc IAllocationRouter
    function previewAllocate(Leg[] calldata legs, uint256 amountRao) external view returns (LegQuote[] memory quotes) {
        uint256[] memory legRao = _split(legs, amountRao);
        quotes = new LegQuote[](legs.length);
        for (uint256 i; i < legs.length; ++i) {
            Leg calldata leg = legs[i];
            LegQuote memory q = quotes[i];
            q.vault = _vaultFor(leg.netuid, leg.hotkey);
            q.vaultExists = q.vault.code.length != 0;
            q.taoRao = legRao[i];
            // Earlier legs on the same netuid have moved its pool: simulate them together.
            uint256 earlierRao;
            for (uint256 j; j < i; ++j) if (legs[j].netuid == leg.netuid) earlierRao += legRao[j];
            (bool okAll, uint256 alphaAll) = _trySimTaoForAlpha(leg.netuid, earlierRao + q.taoRao);
            (bool okEarlier, uint256 alphaEarlier) = earlierRao == 0
                ? (true, 0)
                : _trySimTaoForAlpha(leg.netuid, earlierRao);
            if (!okAll || !okEarlier || alphaAll <= alphaEarlier) continue;
            q.alphaRao = alphaAll - alphaEarlier;
            q.shares =
                q.vaultExists
                    ? ILiquidAlphaVault(q.vault).previewDepositStake(q.alphaRao)
                    : (q.alphaRao > 1 ? VaultMath.toSharesDown(q.alphaRao - 1, 0, 0) : 0);
            q.spotPriceRaoPerAlpha = _trySpotPriceRao(leg.netuid);
            q.effectivePriceRaoPerAlpha = UnitsLib.priceRaoPerAlphaDown(q.taoRao, q.alphaRao);
            if (q.spotPriceRaoPerAlpha != 0 && q.effectivePriceRaoPerAlpha > q.spotPriceRaoPerAlpha) {
                q.priceImpactWad =
                    ((q.effectivePriceRaoPerAlpha - q.spotPriceRaoPerAlpha) * WAD) / q.spotPriceRaoPerAlpha;
            }
        }
    }

    /// @inheritdoc IAllocationRouter
    function rebalance(
        Move[] calldata moves,
        address receiver,
        uint256 deadline
    ) external nonReentrant returns (uint256[] memory sharesOut) {
        _checkDeadline(deadline);
        if (moves.length == 0) revert NoLegs();
        if (moves.length > MAX_LEGS) revert TooManyLegs(moves.length, MAX_LEGS);
        uint256 balanceBefore = address(this).balance;
        sharesOut = new uint256[](moves.length);
        for (uint256 i; i < moves.length; ++i) {
            Move calldata m = moves[i];
            if (!FACTORY.isVault(m.fromVault)) revert UnknownVault(m.fromVault);
            sharesOut[i] = ILiquidAlphaVault(m.fromVault).migrate(
                m.shares,
                m.toVault,
                receiver,
                msg.sender,
                m.minSharesOut,
                m.limitPriceRaoPerAlpha,
                m.viaTao,
                deadline
            );
        }
        _checkBalance(balanceBefore);
        emit Rebalance(msg.sender, receiver, moves.length);
    }

    /// @dev Each leg's rao by weight, rounded down, the remainder to the last leg.
    function _split(Leg[] calldata legs, uint256 amountRao) internal pure returns (uint256[] memory legRao) {
        uint256 n = legs.length;
        if (n == 0) revert NoLegs();
        if (n > MAX_LEGS) revert TooManyLegs(n, MAX_LEGS);
        uint256 totalWeight;
        for (uint256 i; i < n; ++i) {
            if (legs[i].weight == 0) revert ZeroWeight(i);
            totalWeight += legs[i].weight;
        }
        legRao = new uint256[](n);
        uint256 assigned;
        for (uint256 i; i < n; ++i) {
            legRao[i] = (amountRao * legs[i].weight) / totalWeight;
            assigned += legRao[i];
        }
        legRao[n - 1] += amountRao - assigned;
    }

    /// @dev `FACTORY.vaultFor`, computed here: the vault of (`netuid`, `hotkey`) for the subnet on `netuid` now.
    function _vaultFor(uint16 netuid, bytes32 hotkey) internal view returns (address) {
        return VaultAddress.compute(address(FACTORY), VAULT_INIT_CODE_HASH, netuid, hotkey, _registrationBlock(netuid));
    }

    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
    }

    /// @dev Nothing stays: the router's TAO is what it was before the call.
    function _checkBalance(uint256 balanceBeforeWei) internal view {
        if (address(this).balance != balanceBeforeWei) {
            revert RouterBalanceChanged(balanceBeforeWei, address(this).balance);
        }
    }
}
