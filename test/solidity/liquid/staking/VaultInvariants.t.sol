// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../../../../contracts/interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {VaultMath} from "../../../../contracts/libraries/VaultMath.sol";
import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {LiquidAlphaVault} from "../../../../contracts/staking/LiquidAlphaVault.sol";
import {ILiquidAlphaVault} from "../../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";

import {Assertions} from "../../utils/Assertions.sol";
import {VM} from "../../utils/Vm.sol";
import {LiquidBase} from "../LiquidBase.sol";
import {ReentrantReceiver} from "../mocks/Actors.sol";

/// @notice Drives one vault through every action a user, an outsider, the chain or an attacker can take, and keeps
/// ghost flags for what must never happen. It never reverts: refused actions are caught.
contract VaultHandler is Assertions {
    uint256 internal constant TAO = 1e9;
    uint256 internal constant WEI = 1e9;
    uint256 internal constant NO_DEADLINE = type(uint256).max;
    uint256 internal constant NO_LIMIT = type(uint256).max;

    LiquidAlphaVault public immutable vault;
    IAlphaPools public immutable pools;
    address public immutable staking;
    address public immutable settler;
    uint16 public immutable netuid;
    bytes32 public immutable hotkey;
    bytes32 public immutable hotkeyOwner;
    uint256 public immutable minDepositRao;

    address[] public actors;
    ReentrantReceiver public reentrant;
    address public outsider = address(0x0B751DE);

    /// @dev Ghosts: the share price after the last action, and what must never happen.
    uint256 public lastAssets;
    uint256 public lastSupply;
    bool public priceFell;
    bool public roundTripProfited;
    bool public donationProfited;
    bool public reentrySucceeded;
    bool public taoDonationCounted;
    uint256 public calls;

    constructor(
        LiquidAlphaVault vault_,
        IAlphaPools pools_,
        address staking_,
        address settler_,
        uint16 netuid_,
        bytes32 hotkey_,
        bytes32 hotkeyOwner_,
        uint256 minDepositRao_,
        address[] memory actors_
    ) {
        hotkeyOwner = hotkeyOwner_;
        vault = vault_;
        pools = pools_;
        staking = staking_;
        settler = settler_;
        netuid = netuid_;
        hotkey = hotkey_;
        minDepositRao = minDepositRao_;
        actors = actors_;
        reentrant = new ReentrantReceiver();
        actors.push(address(reentrant));
    }

    modifier recorded() {
        calls += 1;
        _;
        _checkPrice();
    }

    function holders() external view returns (address[] memory) {
        return actors;
    }

    /* USERS */

    function deposit(uint256 actorSeed, uint256 amount) external recorded {
        address who = _actor(actorSeed);
        amount = _bound(amount, minDepositRao, 50 * TAO);
        VM.deal(who, who.balance + amount * WEI);
        VM.prank(who);
        try vault.deposit{value: amount * WEI}(who, 0, NO_LIMIT, NO_DEADLINE) {} catch {}
    }

    function depositStake(uint256 actorSeed, uint256 amount) external recorded {
        address who = _actor(actorSeed);
        _stakeDirect(who, _bound(amount, minDepositRao, 20 * TAO));
        // What the position holds (the share pool may credit one alpha-rao less than the swap bought).
        uint256 alpha = pools.getStake(hotkey, pools.coldkeyOf(who), netuid);
        if (alpha == 0) return;
        VM.prank(who);
        IStakingV2(staking).approve(address(vault), netuid, alpha);
        VM.prank(who);
        try vault.depositStake(alpha, who, 0, NO_DEADLINE) {} catch {}
    }

    function redeem(uint256 actorSeed, uint256 fraction) external recorded {
        address who = _actor(actorSeed);
        uint256 shares = _part(who, fraction);
        if (shares == 0) return;
        VM.prank(who);
        try vault.redeem(shares, who, who, 0, NO_DEADLINE) {} catch {}
    }

    function redeemInKind(uint256 actorSeed, uint256 fraction) external recorded {
        address who = _actor(actorSeed);
        uint256 shares = _part(who, fraction);
        if (shares == 0) return;
        bytes32 coldkey = pools.coldkeyOf(who);
        VM.prank(who);
        try vault.redeemInKind(shares, coldkey, who, 0, NO_DEADLINE) {} catch {}
    }

    function transferShares(uint256 fromSeed, uint256 toSeed, uint256 fraction) external recorded {
        address from = _actor(fromSeed);
        uint256 shares = _part(from, fraction);
        if (shares == 0) return;
        VM.prank(from);
        vault.transfer(_actor(toSeed), shares);
    }

    /* OUTSIDERS AND THE CHAIN */

    /// @dev Stake pushed onto the vault's coldkey by a holder: it may raise the donor's claim by at most its part.
    function donateStake(uint256 actorSeed, uint256 amount) external recorded {
        address donor = _actor(actorSeed);
        _stakeDirect(donor, _bound(amount, minDepositRao, 20 * TAO));
        uint256 alpha = pools.getStake(hotkey, pools.coldkeyOf(donor), netuid);
        if (alpha == 0) return;
        uint256 claimBefore = vault.convertToAssets(vault.balanceOf(donor));
        (, , bytes32 vaultColdkey) = vault.position();
        VM.prank(donor);
        try pools.transferStake(vaultColdkey, hotkey, netuid, netuid, alpha, 0, NO_DEADLINE) {
            uint256 claimAfter = vault.convertToAssets(vault.balanceOf(donor));
            if (claimAfter > claimBefore + alpha) donationProfited = true;
        } catch {}
    }

    /// @dev Native TAO sent to the vault is not an asset of a live vault.
    function donateTao(uint256 amount) external recorded {
        uint256 assetsBefore = vault.totalAssets();
        VM.deal(address(vault), address(vault).balance + _bound(amount, 1, 10 * TAO) * WEI);
        if (vault.totalAssets() != assetsBefore) taoDonationCounted = true;
    }

    /// @dev Outside trades move the pool's price either way.
    function trade(uint256 amount, bool buy) external recorded {
        amount = _bound(amount, minDepositRao, 30 * TAO);
        if (buy) {
            _stakeDirect(outsider, amount);
        } else {
            uint256 own = pools.getStake(hotkey, pools.coldkeyOf(outsider), netuid);
            if (own == 0) return;
            VM.prank(outsider);
            try pools.removeStake(hotkey, netuid, own / 2 + 1, 0, NO_DEADLINE) {} catch {}
        }
    }

    function dividend(uint256 amount) external recorded {
        VM.roll(block.number + 30);
        try IAlphaPoolsHooks(address(pools)).closePending(netuid) returns (
            uint32 generation,
            IAlphaPoolsTypes.PendingEmission memory
        ) {
            amount = _bound(amount, 1, TAO);
            try
                IAlphaPoolsHooks(address(pools)).creditDividend(netuid, generation, hotkey, hotkeyOwner, amount)
            {} catch {}
        } catch {}
    }

    function roll(uint256 blocks) external recorded {
        VM.roll(block.number + _bound(blocks, 1, 50));
    }

    /* ATTACKS */

    /// @dev Deposit and redeem at once: never a profit.
    function roundTrip(uint256 actorSeed, uint256 amount) external recorded {
        address who = _actor(actorSeed);
        amount = _bound(amount, 5 * minDepositRao, 20 * TAO);
        VM.deal(who, who.balance + amount * WEI);
        VM.prank(who);
        try vault.deposit{value: amount * WEI}(who, 0, NO_LIMIT, NO_DEADLINE) returns (uint256 shares) {
            VM.prank(who);
            try vault.redeem(shares, who, who, 0, NO_DEADLINE) returns (uint256 tao) {
                if (tao >= amount) roundTripProfited = true;
            } catch {}
        } catch {}
    }

    /// @dev A holder redeems to a receiver that re-enters the vault while it is paid.
    function reenter(uint256 fraction, uint256 which) external recorded {
        uint256 shares = _part(address(reentrant), fraction);
        if (shares == 0) return;
        bytes memory data =
            which % 3 == 0
                ? abi.encodeCall(ILiquidAlphaVault.deposit, (address(reentrant), 0, NO_LIMIT, NO_DEADLINE))
                : which % 3 == 1
                    ? abi.encodeCall(
                        ILiquidAlphaVault.redeem,
                        (1, address(reentrant), address(reentrant), 0, NO_DEADLINE)
                    )
                    : abi.encodeCall(
                        ILiquidAlphaVault.redeemInKind,
                        (1, bytes32(uint256(7)), address(reentrant), 0, NO_DEADLINE)
                    );
        reentrant.arm(address(vault), data, which % 3 == 0 ? 1e18 : 0, false);
        try
            reentrant.call(
                address(vault),
                abi.encodeCall(
                    ILiquidAlphaVault.redeem,
                    (shares, address(reentrant), address(reentrant), 0, NO_DEADLINE)
                )
            )
        {
            if (reentrant.reentrySucceeded()) reentrySucceeded = true;
        } catch {}
        reentrant.arm(address(0), "", 0, false);
    }

    /* INTERNAL */

    function _checkPrice() internal {
        uint256 assets = vault.totalAssets();
        uint256 supply = vault.totalSupply();
        // (A1 + 1) / (S1 + V) >= (A0 + 1) / (S0 + V), cross-multiplied.
        if (
            calls > 1 &&
            (assets + VaultMath.VIRTUAL_ASSETS) * (lastSupply + VaultMath.VIRTUAL_SHARES) <
                (lastAssets + VaultMath.VIRTUAL_ASSETS) * (supply + VaultMath.VIRTUAL_SHARES)
        ) {
            priceFell = true;
        }
        (lastAssets, lastSupply) = (assets, supply);
    }

    function _stakeDirect(address who, uint256 amountRao) internal returns (uint256 alpha) {
        VM.deal(who, who.balance + amountRao * WEI);
        VM.prank(who);
        try pools.addStake{value: amountRao * WEI}(hotkey, netuid, 0, NO_DEADLINE) returns (uint256 out) {
            alpha = out;
        } catch {}
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _part(address who, uint256 fraction) internal view returns (uint256) {
        uint256 balance = vault.balanceOf(who);
        if (balance == 0) return 0;
        return _bound(fraction, 1, balance);
    }
}

/// @title VaultInvariantsTest
/// @notice Invariants of the vault under every action of `VaultHandler`: share supply = Σ balances; the stake covers
/// every holder's claim; the share price never falls; no round trip, donation or re-entry profits; donated TAO is not
/// counted as an asset.
contract VaultInvariantsTest is LiquidBase {
    VaultHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory actors = new address[](4);
        (actors[0], actors[1], actors[2], actors[3]) = (alice, bob, dave, address(0xE7E));
        handler = new VaultHandler(
            vault,
            pools,
            P.staking,
            settler,
            NETUID,
            VALIDATOR_HOTKEY,
            metagraph.ownerOf(VALIDATOR_HOTKEY),
            MIN_DEPOSIT_RAO,
            actors
        );
        // The handler settles dividends as the epoch settlement does.
        vm.startPrank(admin);
        pools.grantRole(pools.SETTLER_ROLE(), address(handler));
        vm.stopPrank();
        // Start with holders, so the first actions act on a funded vault.
        _deposit(alice, vault, 10 * TAO);
        _deposit(address(handler.reentrant()), vault, 5 * TAO);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_shareSupplyIsTheSumOfBalances() public view {
        assertEq(vault.totalSupply(), _sumBalances(vault, handler.holders()), "supply = sum of balances");
    }

    function invariant_stakeCoversEveryHoldersClaim() public view {
        address[] memory holders = handler.holders();
        uint256 claims;
        for (uint256 i; i < holders.length; ++i) claims += vault.convertToAssets(vault.balanceOf(holders[i]));
        assertGe(vault.totalAssets(), claims, "assets >= sum of what holders can redeem");
    }

    function invariant_sharePriceNeverFalls() public view {
        assertTrue(!handler.priceFell(), "no action lowered the alpha per share");
    }

    function invariant_noProfitableRoundTripDonationOrReentry() public view {
        assertTrue(!handler.roundTripProfited(), "no round trip profits");
        assertTrue(!handler.donationProfited(), "no donation raises the donor's claim by more than it gave");
        assertTrue(!handler.reentrySucceeded(), "no re-entry succeeds");
        assertTrue(!handler.taoDonationCounted(), "TAO donated to a live vault is not an asset");
    }
}
