// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {VaultMath} from "../libraries/VaultMath.sol";
import {IAlphaPrecompile} from "../precompiles/IAlphaPrecompile.sol";
import {IStakingV2} from "../precompiles/IStakingV2.sol";
import {ILiquidAlphaVault} from "./interfaces/ILiquidAlphaVault.sol";
import {ILiquidVaultFactory} from "./interfaces/ILiquidVaultFactory.sol";
import {StakingClient} from "./StakingClient.sol";

/// @title LiquidAlphaVault
/// @notice One liquid share token per (netuid, hotkey): TAO or alpha stake in, shares out; shares in, TAO or alpha
/// stake out. The vault's coldkey holds the stake, so the share value grows with the hotkey's dividends.
/// @dev Created by `LiquidVaultFactory` at a CREATE2 address; its (netuid, hotkey) and precompile addresses come from
/// the factory during construction. Shares are priced in alpha only (the stake the vault holds over the shares
/// outstanding, with a decimals offset of 9): the pool's spot price never enters the share price, so moving the pool
/// before someone's deposit or redemption cannot move value between holders, only the mover's own swap.
/// @dev The subnet instance is the registration block read at creation. When the netuid's registration block changes
/// (dissolution, then maybe a new subnet on the same netuid), the vault stops taking deposits for good and its holders
/// redeem their part of the TAO the chain refunded to the vault's coldkey.
/// @dev Warning: trusts the precompile addresses the factory gave it (Bittensor's on its runtime) and the factory's
/// owner and guardian within the limits below (timelocked, capped fees; timelocked hotkey migration; pausing
/// deposits only).
contract LiquidAlphaVault is ILiquidAlphaVault, ERC20Permit, StakingClient, ReentrancyGuardTransient {
    uint16 public constant MAX_DEPOSIT_FEE_BPS = 100;
    uint16 public constant MAX_REDEEM_FEE_BPS = 100;
    uint256 public constant FEE_TIMELOCK = 2 days;
    uint256 public constant HOTKEY_TIMELOCK = 2 days;
    /// @dev What the chain's share pool may round away when it credits or debits stake: a redemption sells one
    /// alpha-rao less than its claim so the remaining holders never pay for that rounding.
    uint256 internal constant CHAIN_ROUNDING_ALPHA_RAO = 1;

    ILiquidVaultFactory public immutable FACTORY;
    uint16 public immutable NETUID;
    /// @notice The hotkey the vault was created for (its `vaultFor` key); `hotkey()` is the current one.
    bytes32 public immutable ORIGINAL_HOTKEY;
    /// @notice The registration block of the subnet instance the vault holds stake in.
    uint64 public immutable REGISTERED_AT_BLOCK;
    /// @notice The smallest TAO deposit, in rao.
    uint256 public immutable MIN_DEPOSIT_RAO;

    /// @dev Fees, flags and recipient in one slot.
    struct State {
        uint16 depositFeeBps;
        uint16 redeemFeeBps;
        address feeRecipient;
        bool paused;
        bool dissolved;
    }

    bytes32 internal _hotkey;
    State internal _state;
    PendingFees internal _pendingFees;
    PendingHotkey internal _pendingHotkey;

    constructor()
        ERC20(_tokenName(), _tokenSymbol())
        ERC20Permit(_tokenName())
        StakingClient(ILiquidVaultFactory(msg.sender).precompiles())
    {
        ILiquidVaultFactory factory = ILiquidVaultFactory(msg.sender);
        (uint16 netuid, bytes32 hotkey_, uint64 registeredAt) = factory.pendingVault();
        FACTORY = factory;
        NETUID = netuid;
        ORIGINAL_HOTKEY = hotkey_;
        REGISTERED_AT_BLOCK = registeredAt;
        MIN_DEPOSIT_RAO = factory.MIN_DEPOSIT_RAO();
        _hotkey = hotkey_;
    }

    /* DEPOSITS */

    /// @inheritdoc ILiquidAlphaVault
    function deposit(
        address receiver,
        uint256 minSharesOut,
        uint256 limitPriceRaoPerAlpha,
        uint256 deadline
    ) external payable nonReentrant returns (uint256 shares) {
        _checkDeadline(deadline);
        State memory st = _state;
        _requireDepositsOpen(st);
        uint256 amountRao = UnitsLib.weiToRaoExact(msg.value);
        if (amountRao < MIN_DEPOSIT_RAO) revert AmountBelowMinimum(amountRao, MIN_DEPOSIT_RAO);
        bytes32 hk = _hotkey;
        uint256 assetsBefore = _stakeOf(hk, NETUID);
        uint256 supply = totalSupply();
        _requireStake(hk, assetsBefore, supply);

        uint256 balanceBefore = address(this).balance;
        _addStakeLimit(hk, NETUID, amountRao, limitPriceRaoPerAlpha, false);
        uint256 alphaRao = _stakeOf(hk, NETUID) - assetsBefore;
        uint256 spentRao = UnitsLib.weiToRaoDown(balanceBefore - address(this).balance);

        shares = _mintFor(receiver, alphaRao, assetsBefore, supply, minSharesOut, st);
        // The runtime may keep back up to the existential deposit; what it did not stake goes with the shares.
        if (spentRao < amountRao) _payTao(receiver, amountRao - spentRao);
        emit Deposit(msg.sender, receiver, spentRao, alphaRao, shares);
    }

    /// @inheritdoc ILiquidAlphaVault
    function depositStake(
        uint256 alphaRao,
        address receiver,
        uint256 minSharesOut,
        uint256 deadline
    ) external nonReentrant returns (uint256 shares) {
        _checkDeadline(deadline);
        State memory st = _state;
        _requireDepositsOpen(st);
        if (alphaRao == 0) revert AmountBelowMinimum(0, 1);
        bytes32 hk = _hotkey;
        uint256 assetsBefore = _stakeOf(hk, NETUID);
        uint256 supply = totalSupply();
        _requireStake(hk, assetsBefore, supply);

        _transferStakeFrom(msg.sender, hk, NETUID, alphaRao);
        uint256 received = _stakeOf(hk, NETUID) - assetsBefore;
        shares = _mintFor(receiver, received, assetsBefore, supply, minSharesOut, st);
        emit DepositStake(msg.sender, receiver, received, shares);
    }

    /// @inheritdoc ILiquidAlphaVault
    function acceptMigration(
        address receiver,
        uint256 alphaRao,
        uint256 minSharesOut
    ) external nonReentrant returns (uint256 shares) {
        if (!FACTORY.isVault(msg.sender)) revert NotSiblingVault(msg.sender);
        State memory st = _state;
        _requireDepositsOpen(st);
        bytes32 hk = _hotkey;
        // The sibling measured the stake it moved to this vault's coldkey and hotkey; it is already here.
        uint256 assetsBefore = _stakeOf(hk, NETUID) - alphaRao;
        uint256 supply = totalSupply();
        _requireStake(hk, assetsBefore, supply);
        shares = _mintFor(receiver, alphaRao, assetsBefore, supply, minSharesOut, st);
        emit AcceptMigration(msg.sender, receiver, alphaRao, shares);
    }

    /* EXITS */

    /// @inheritdoc ILiquidAlphaVault
    function redeem(
        uint256 shares,
        address receiver,
        address owner,
        uint256 minTaoOutRao,
        uint256 deadline
    ) external nonReentrant returns (uint256 taoRao) {
        _checkDeadline(deadline);
        uint256 alphaRao;
        (taoRao, alphaRao) = _exitToTao(shares, owner, _state);
        if (taoRao < minTaoOutRao) revert TaoBelowMinimum(taoRao, minTaoOutRao);
        _payTao(receiver, taoRao);
        emit Redeem(msg.sender, receiver, owner, shares, alphaRao, taoRao);
    }

    /// @inheritdoc ILiquidAlphaVault
    function redeemInKind(
        uint256 shares,
        bytes32 receiverColdkey,
        address owner,
        uint256 minAlphaOutRao,
        uint256 deadline
    ) external nonReentrant returns (uint256 alphaRao) {
        _checkDeadline(deadline);
        State memory st = _state;
        _requireLive(st);
        if (receiverColdkey == COLDKEY) revert InvalidTarget(address(this));
        (bytes32 hk, uint256 assets, uint256 claimRao) = _burnForClaim(shares, owner, st);
        uint256 receiverBefore = _stakeOfColdkey(hk, receiverColdkey, NETUID);
        _transferStake(receiverColdkey, hk, NETUID, NETUID, claimRao);
        _checkRemainder(hk, assets, claimRao);
        alphaRao = _stakeOfColdkey(hk, receiverColdkey, NETUID) - receiverBefore;
        if (alphaRao < minAlphaOutRao) revert AlphaBelowMinimum(alphaRao, minAlphaOutRao);
        emit RedeemInKind(msg.sender, receiverColdkey, owner, shares, alphaRao);
    }

    /// @inheritdoc ILiquidAlphaVault
    function migrate(
        uint256 shares,
        address toVault,
        address receiver,
        address owner,
        uint256 minSharesOut,
        uint256 limitPriceRaoPerAlpha,
        bool viaTao,
        uint256 deadline
    ) external nonReentrant returns (uint256 sharesOut) {
        _checkDeadline(deadline);
        if (toVault == address(this) || !FACTORY.isVault(toVault)) revert InvalidTarget(toVault);
        State memory st = _state;
        uint256 alphaRao;
        uint256 taoRao;
        if (viaTao || _settleDissolution(st)) {
            (taoRao, alphaRao) = _exitToTao(shares, owner, st);
            sharesOut = ILiquidAlphaVault(toVault).deposit{value: UnitsLib.raoToWei(taoRao)}(
                receiver,
                minSharesOut,
                limitPriceRaoPerAlpha,
                deadline
            );
        } else {
            alphaRao = _migrateInKind(shares, owner, st, ILiquidAlphaVault(toVault));
            sharesOut = ILiquidAlphaVault(toVault).acceptMigration(receiver, alphaRao, minSharesOut);
        }
        emit Migrate(owner, toVault, receiver, shares, alphaRao, taoRao, sharesOut);
    }

    /* VIEWS */

    /// @inheritdoc ILiquidAlphaVault
    function position() external view returns (uint16, bytes32, bytes32) {
        return (NETUID, _hotkey, COLDKEY);
    }

    /// @inheritdoc ILiquidAlphaVault
    function hotkey() external view returns (bytes32) {
        return _hotkey;
    }

    /// @inheritdoc ILiquidAlphaVault
    function isLive() public view returns (bool) {
        return !_state.dissolved && _registrationBlock(NETUID) == REGISTERED_AT_BLOCK;
    }

    /// @inheritdoc ILiquidAlphaVault
    function paused() external view returns (bool) {
        return _state.paused;
    }

    /// @inheritdoc ILiquidAlphaVault
    function fees() external view returns (Fees memory) {
        State memory st = _state;
        return Fees(st.depositFeeBps, st.redeemFeeBps, st.feeRecipient);
    }

    /// @inheritdoc ILiquidAlphaVault
    function pendingFees() external view returns (PendingFees memory) {
        return _pendingFees;
    }

    /// @inheritdoc ILiquidAlphaVault
    function pendingHotkey() external view returns (PendingHotkey memory) {
        return _pendingHotkey;
    }

    /// @inheritdoc ILiquidAlphaVault
    function totalAssets() public view returns (uint256) {
        return isLive() ? _stakeOf(_hotkey, NETUID) : 0;
    }

    /// @inheritdoc ILiquidAlphaVault
    function dissolvedPotRao() public view returns (uint256) {
        return isLive() ? 0 : _balanceRao();
    }

    /// @inheritdoc ILiquidAlphaVault
    function convertToShares(uint256 alphaRao) external view returns (uint256) {
        return VaultMath.toSharesDown(alphaRao, totalAssets(), totalSupply());
    }

    /// @inheritdoc ILiquidAlphaVault
    function convertToAssets(uint256 shares) external view returns (uint256) {
        return VaultMath.toAssetsDown(shares, totalAssets(), totalSupply());
    }

    /// @inheritdoc ILiquidAlphaVault
    function previewDeposit(uint256 taoRao) external view returns (uint256) {
        if (taoRao < MIN_DEPOSIT_RAO || !_depositsOpen()) return 0;
        (bool ok, uint256 alphaRao) = _trySimTaoForAlpha(NETUID, taoRao);
        return ok ? _previewShares(alphaRao) : 0;
    }

    /// @inheritdoc ILiquidAlphaVault
    function previewDepositStake(uint256 alphaRao) public view returns (uint256) {
        return _depositsOpen() ? _previewShares(alphaRao) : 0;
    }

    /// @inheritdoc ILiquidAlphaVault
    function previewRedeem(uint256 shares) public view returns (uint256) {
        uint256 burnShares = shares - VaultMath.feeUp(shares, _state.redeemFeeBps);
        if (!isLive()) return VaultMath.toAssetsDown(burnShares, _balanceRao(), totalSupply());
        uint256 claimRao = _claimRao(burnShares, _stakeOf(_hotkey, NETUID), totalSupply());
        if (claimRao == 0) return 0;
        (bool ok, uint256 taoRao) = _trySimAlphaForTao(NETUID, claimRao);
        return ok ? taoRao : 0;
    }

    /// @inheritdoc ILiquidAlphaVault
    function previewRedeemInKind(uint256 shares) public view returns (uint256) {
        if (!isLive()) return 0;
        uint256 burnShares = shares - VaultMath.feeUp(shares, _state.redeemFeeBps);
        uint256 claimRao = _claimRao(burnShares, _stakeOf(_hotkey, NETUID), totalSupply());
        // The receiver's stake may be credited one alpha-rao short, as the vault's is.
        return claimRao > CHAIN_ROUNDING_ALPHA_RAO ? claimRao - CHAIN_ROUNDING_ALPHA_RAO : 0;
    }

    /// @inheritdoc ILiquidAlphaVault
    /// @dev A deposit of the pool's TAO reserve or less passes the chain's swap guards (input ≤ 1000 × the reserve,
    /// an alpha reserve left above 1,000,000 when it holds at least twice that), so the reserve is a safe bound.
    function maxDeposit(address) external view returns (uint256) {
        if (!_depositsOpen() || _stakeMissingNow()) return 0;
        (bool okTao, uint256 taoReserveRao) = _tryAlphaView(abi.encodeCall(IAlphaPrecompile.getTaoInPool, (NETUID)));
        (bool okAlpha, uint256 alphaReserveRao) = _tryAlphaView(
            abi.encodeCall(IAlphaPrecompile.getAlphaInPool, (NETUID))
        );
        if (!okTao || !okAlpha || alphaReserveRao < 2_000_000 || taoReserveRao < MIN_DEPOSIT_RAO) return 0;
        return taoReserveRao;
    }

    /// @inheritdoc ILiquidAlphaVault
    function maxDepositStake(address) external view returns (uint256) {
        if (!_depositsOpen() || _stakeMissingNow()) return 0;
        return type(uint64).max;
    }

    /// @inheritdoc ILiquidAlphaVault
    function maxRedeem(address owner) external view returns (uint256) {
        uint256 shares = balanceOf(owner);
        if (shares == 0) return 0;
        if (!isLive()) return previewRedeem(shares) == 0 ? 0 : shares;
        (uint256 claimRao, uint256 assets) = _ownerClaim(shares);
        if (claimRao == 0) return 0;
        (bool ok, uint256 taoRao) = _trySimAlphaForTao(NETUID, claimRao);
        // A partial unstake must be worth the minimum stake, and must not leave a remainder the chain sweeps.
        if (!ok || taoRao < MIN_DEPOSIT_RAO || !_remainderKept(assets - claimRao)) return 0;
        return shares;
    }

    /// @inheritdoc ILiquidAlphaVault
    function maxRedeemInKind(address owner) external view returns (uint256) {
        uint256 shares = balanceOf(owner);
        if (shares == 0 || !isLive()) return 0;
        (uint256 claimRao, uint256 assets) = _ownerClaim(shares);
        // A same-subnet transfer must be worth the minimum stake at the spot price.
        if (UnitsLib.alphaToRaoDown(claimRao, _trySpotPriceRao(NETUID)) < MIN_DEPOSIT_RAO) return 0;
        return _remainderKept(assets - claimRao) ? shares : 0;
    }

    /* GOVERNANCE */

    /// @inheritdoc ILiquidAlphaVault
    function pause() external {
        _onlyGuardian();
        _state.paused = true;
        emit SetPaused(msg.sender, true);
    }

    /// @inheritdoc ILiquidAlphaVault
    function unpause() external {
        _onlyGuardian();
        _state.paused = false;
        emit SetPaused(msg.sender, false);
    }

    /// @inheritdoc ILiquidAlphaVault
    function scheduleFees(uint16 depositFeeBps, uint16 redeemFeeBps, address recipient) external {
        _onlyGovernance();
        if (depositFeeBps > MAX_DEPOSIT_FEE_BPS) revert FeeTooHigh(depositFeeBps, MAX_DEPOSIT_FEE_BPS);
        if (redeemFeeBps > MAX_REDEEM_FEE_BPS) revert FeeTooHigh(redeemFeeBps, MAX_REDEEM_FEE_BPS);
        if ((depositFeeBps != 0 || redeemFeeBps != 0) && recipient == address(0)) revert FeeRecipientRequired();
        State memory st = _state;
        if (depositFeeBps <= st.depositFeeBps && redeemFeeBps <= st.redeemFeeBps && recipient == st.feeRecipient) {
            // Lowering fees only helps holders: no wait.
            _setFees(depositFeeBps, redeemFeeBps, recipient);
            return;
        }
        uint256 eta = block.timestamp + FEE_TIMELOCK;
        _pendingFees = PendingFees(depositFeeBps, redeemFeeBps, recipient, uint48(eta));
        emit ScheduleFees(depositFeeBps, redeemFeeBps, recipient, eta);
    }

    /// @inheritdoc ILiquidAlphaVault
    function applyFees() external {
        PendingFees memory p = _pendingFees;
        _checkTimelock(p.eta);
        delete _pendingFees;
        _setFees(p.depositFeeBps, p.redeemFeeBps, p.recipient);
    }

    /// @inheritdoc ILiquidAlphaVault
    function cancelFees() external {
        _onlyGuardian();
        if (_pendingFees.eta == 0) revert NothingScheduled();
        delete _pendingFees;
        emit CancelFees();
    }

    /// @inheritdoc ILiquidAlphaVault
    function scheduleHotkeyMigration(bytes32 newHotkey) external {
        _onlyGovernance();
        if (newHotkey == bytes32(0) || newHotkey == _hotkey) revert InvalidTarget(address(0));
        uint256 eta = block.timestamp + HOTKEY_TIMELOCK;
        _pendingHotkey = PendingHotkey(newHotkey, uint48(eta));
        emit ScheduleHotkeyMigration(newHotkey, eta);
    }

    /// @inheritdoc ILiquidAlphaVault
    function executeHotkeyMigration() external nonReentrant {
        PendingHotkey memory p = _pendingHotkey;
        _checkTimelock(p.eta);
        _requireLive(_state);
        delete _pendingHotkey;
        bytes32 oldHotkey = _hotkey;
        uint256 alphaRao = _stakeOf(oldHotkey, NETUID);
        uint256 movedRao;
        if (alphaRao != 0) {
            // After a hotkey swap on the chain the stake is on the new hotkey already and nothing moves.
            uint256 before = _stakeOf(p.hotkey, NETUID);
            _moveStake(oldHotkey, p.hotkey, NETUID, NETUID, alphaRao);
            movedRao = _stakeOf(p.hotkey, NETUID) - before;
        }
        _hotkey = p.hotkey;
        emit MigrateHotkey(oldHotkey, p.hotkey, movedRao);
    }

    /// @inheritdoc ILiquidAlphaVault
    function cancelHotkeyMigration() external {
        _onlyGuardian();
        bytes32 pending = _pendingHotkey.hotkey;
        if (pending == bytes32(0)) revert NothingScheduled();
        delete _pendingHotkey;
        emit CancelHotkeyMigration(pending);
    }

    /* INTERNAL: FLOWS */

    /// @dev Mints the shares of `alphaRao` credited to the vault (fee shares to the recipient).
    function _mintFor(
        address receiver,
        uint256 alphaRao,
        uint256 assetsBefore,
        uint256 supply,
        uint256 minSharesOut,
        State memory st
    ) internal returns (uint256 shares) {
        uint256 gross = VaultMath.toSharesDown(alphaRao, assetsBefore, supply);
        uint256 fee = st.depositFeeBps == 0 ? 0 : VaultMath.feeUp(gross, st.depositFeeBps);
        shares = gross - fee;
        if (shares == 0) revert ZeroShares();
        if (shares < minSharesOut) revert SharesBelowMinimum(shares, minSharesOut);
        _mint(receiver, shares);
        if (fee != 0) {
            _mint(st.feeRecipient, fee);
            emit FeeCharged(st.feeRecipient, fee);
        }
    }

    /// @dev Takes `owner`'s shares (allowance, redeem fee), burns them and returns their alpha claim, which the caller
    /// moves out of the vault; the vault must be live.
    function _burnForClaim(
        uint256 shares,
        address owner,
        State memory st
    ) internal returns (bytes32 hk, uint256 assets, uint256 claimRao) {
        uint256 burnShares = _takeShares(shares, owner, st);
        hk = _hotkey;
        assets = _stakeOf(hk, NETUID);
        uint256 supply = totalSupply();
        _requireStake(hk, assets, supply);
        claimRao = _claimRao(burnShares, assets, supply);
        if (claimRao == 0) revert ZeroAssets(shares);
        _burn(owner, burnShares);
    }

    /// @dev Burns `owner`'s shares and turns their part into TAO held by the vault: unstaked while live, the refund's
    /// part after a dissolution.
    function _exitToTao(
        uint256 shares,
        address owner,
        State memory st
    ) internal returns (uint256 taoRao, uint256 alphaRao) {
        if (_settleDissolution(st)) {
            uint256 burnShares = _takeShares(shares, owner, st);
            uint256 potRao = _balanceRao();
            if (potRao == 0) {
                // On the local chain the refund may still wait to be claimed.
                _collectDissolutionRefund(_hotkey, NETUID);
                potRao = _balanceRao();
            }
            taoRao = VaultMath.toAssetsDown(burnShares, potRao, totalSupply());
            if (taoRao == 0) revert NothingToRedeem(potRao);
            _burn(owner, burnShares);
            return (taoRao, 0);
        }
        bytes32 hk;
        uint256 assets;
        (hk, assets, alphaRao) = _burnForClaim(shares, owner, st);
        uint256 balanceBefore = address(this).balance;
        _removeStake(hk, NETUID, alphaRao);
        _checkRemainder(hk, assets, alphaRao);
        taoRao = UnitsLib.weiToRaoDown(address(this).balance - balanceBefore);
    }

    /// @dev Moves the shares' stake to `target`'s coldkey and hotkey without leaving the chain's ledger and returns
    /// the alpha `target` received: within a netuid with no swap, across netuids with one swap and one fee.
    function _migrateInKind(
        uint256 shares,
        address owner,
        State memory st,
        ILiquidAlphaVault target
    ) internal returns (uint256 receivedRao) {
        (bytes32 hk, uint256 assets, uint256 claimRao) = _burnForClaim(shares, owner, st);
        (uint16 toNetuid, bytes32 toHotkey, bytes32 toColdkey) = target.position();
        uint256 balanceBefore = address(this).balance;
        uint256 targetBefore = _stakeOfColdkey(toHotkey, toColdkey, toNetuid);
        if (toHotkey == hk) {
            _transferStake(toColdkey, hk, NETUID, toNetuid, claimRao);
        } else {
            uint256 midBefore = _stakeOf(toHotkey, toNetuid);
            _moveStake(hk, toHotkey, NETUID, toNetuid, claimRao);
            uint256 movedRao = _stakeOf(toHotkey, toNetuid) - midBefore;
            if (movedRao != 0) _transferStake(toColdkey, toHotkey, toNetuid, toNetuid, movedRao);
        }
        // Across netuids, TAO below the minimum stake is left over instead of staked: too small to migrate.
        uint256 freeRao = UnitsLib.weiToRaoDown(address(this).balance - balanceBefore);
        if (freeRao != 0) revert MigrationBelowMinimum(freeRao);
        _checkRemainder(hk, assets, claimRao);
        receivedRao = _stakeOfColdkey(toHotkey, toColdkey, toNetuid) - targetBefore;
    }

    /// @dev Takes `shares` from `owner` (spending the caller's allowance), moves the redeem fee to the recipient and
    /// returns the shares left to burn.
    function _takeShares(uint256 shares, address owner, State memory st) internal returns (uint256) {
        if (shares == 0) revert ZeroShares();
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        if (st.redeemFeeBps == 0) return shares;
        uint256 fee = VaultMath.feeUp(shares, st.redeemFeeBps);
        _transfer(owner, st.feeRecipient, fee);
        emit FeeCharged(st.feeRecipient, fee);
        return shares - fee;
    }

    /// @dev Marks the vault dissolved (once) when its subnet's registration block changed; on the local chain it then
    /// pulls the refund the runtime would have paid. Returns whether the vault is dissolved.
    function _settleDissolution(State memory st) internal returns (bool) {
        if (st.dissolved) return true;
        uint64 registeredAt = _registrationBlock(NETUID);
        if (registeredAt == REGISTERED_AT_BLOCK) return false;
        _state.dissolved = true;
        st.dissolved = true;
        _collectDissolutionRefund(_hotkey, NETUID);
        emit Dissolve(REGISTERED_AT_BLOCK, registeredAt, _balanceRao());
        return true;
    }

    /* INTERNAL: CHECKS AND MATH */

    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert DeadlineExpired(deadline, block.timestamp);
    }

    function _requireDepositsOpen(State memory st) internal view {
        if (st.paused) revert DepositsPaused();
        _requireLive(st);
    }

    function _requireLive(State memory st) internal view {
        uint64 registeredAt = st.dissolved ? 0 : _registrationBlock(NETUID);
        if (registeredAt != REGISTERED_AT_BLOCK) revert SubnetDissolved(NETUID, REGISTERED_AT_BLOCK, registeredAt);
    }

    /// @dev Shares outstanding with no stake behind them: the chain moved the stake (a hotkey swap).
    function _requireStake(bytes32 hk, uint256 assets, uint256 supply) internal pure {
        if (assets == 0 && supply != 0) revert StakeMissing(hk, supply);
    }

    /// @dev After stake left the vault: the chain must not have swept what the remaining holders own.
    function _checkRemainder(bytes32 hk, uint256 assetsBefore, uint256 removedRao) internal view {
        uint256 supply = totalSupply();
        if (supply == 0 || _stakeOf(hk, NETUID) != 0) return;
        uint256 remainingRao = assetsBefore - removedRao;
        if (VaultMath.toAssetsDown(supply, remainingRao, supply) > CHAIN_ROUNDING_ALPHA_RAO) {
            revert RemainderWouldBeSwept(remainingRao);
        }
    }

    /// @dev The alpha `shares` may take out: their value rounded down, less what the chain's rounding may cost.
    function _claimRao(uint256 shares, uint256 assets, uint256 supply) internal pure returns (uint256) {
        uint256 value = VaultMath.toAssetsDown(shares, assets, supply);
        return value > CHAIN_ROUNDING_ALPHA_RAO ? value - CHAIN_ROUNDING_ALPHA_RAO : 0;
    }

    /// @dev An owner's whole balance as an exit: its alpha claim after the redeem fee, and the vault's stake.
    function _ownerClaim(uint256 shares) internal view returns (uint256 claimRao, uint256 assets) {
        assets = _stakeOf(_hotkey, NETUID);
        uint256 burnShares = shares - VaultMath.feeUp(shares, _state.redeemFeeBps);
        claimRao = _claimRao(burnShares, assets, totalSupply());
    }

    /// @dev The shares a deposit crediting `alphaRao` (less the chain's rounding) would mint now, after the fee.
    function _previewShares(uint256 alphaRao) internal view returns (uint256) {
        if (alphaRao <= CHAIN_ROUNDING_ALPHA_RAO) return 0;
        uint256 assets = _stakeOf(_hotkey, NETUID);
        uint256 supply = totalSupply();
        if (assets == 0 && supply != 0) return 0;
        uint256 gross = VaultMath.toSharesDown(alphaRao - CHAIN_ROUNDING_ALPHA_RAO, assets, supply);
        return gross - VaultMath.feeUp(gross, _state.depositFeeBps);
    }

    function _depositsOpen() internal view returns (bool) {
        return !_state.paused && isLive();
    }

    function _stakeMissingNow() internal view returns (bool) {
        return totalSupply() != 0 && _stakeOf(_hotkey, NETUID) == 0;
    }

    /// @dev Whether the chain keeps `remainingRao` after an unstake: a nominator's remainder worth less than the
    /// nominator minimum at the spot price is swept to TAO.
    function _remainderKept(uint256 remainingRao) internal view returns (bool) {
        if (remainingRao == 0) return true;
        (bool ok, bytes memory ret) = STAKING.staticcall{gas: VIEW_GAS}(
            abi.encodeCall(IStakingV2.getNominatorMinRequiredStake, ())
        );
        if (!ok || ret.length < 32) return false;
        uint256 minRao = abi.decode(ret, (uint256));
        if (minRao == 0) return true;
        return remainingRao >= UnitsLib.raoToAlphaDown(minRao, _trySpotPriceRao(NETUID));
    }

    function _checkTimelock(uint256 eta) internal view {
        if (eta == 0) revert NothingScheduled();
        if (block.timestamp < eta) revert TimelockPending(eta, block.timestamp);
    }

    function _setFees(uint16 depositFeeBps, uint16 redeemFeeBps, address recipient) internal {
        State memory st = _state;
        (st.depositFeeBps, st.redeemFeeBps, st.feeRecipient) = (depositFeeBps, redeemFeeBps, recipient);
        _state = st;
        emit ApplyFees(depositFeeBps, redeemFeeBps, recipient);
    }

    function _onlyGovernance() internal view {
        if (msg.sender != FACTORY.owner()) revert NotGovernance(msg.sender);
    }

    /// @dev The guardian or governance.
    function _onlyGuardian() internal view {
        if (msg.sender != FACTORY.guardian() && msg.sender != FACTORY.owner()) revert NotGuardian(msg.sender);
    }

    function _payTao(address to, uint256 amountRao) internal {
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        (bool ok, ) = to.call{value: amountWei}("");
        if (!ok) revert TaoTransferFailed(to, amountWei);
    }

    /// @dev "Liquid alpha SN<netuid> 0x<first 4 bytes of the hotkey>", read from the factory during construction.
    function _tokenName() private view returns (string memory) {
        (uint16 netuid, bytes32 hotkey_, ) = ILiquidVaultFactory(msg.sender).pendingVault();
        return
            string.concat(
                "Liquid alpha SN",
                Strings.toString(netuid),
                " ",
                Strings.toHexString(uint32(bytes4(hotkey_)), 4)
            );
    }

    function _tokenSymbol() private view returns (string memory) {
        (uint16 netuid, , ) = ILiquidVaultFactory(msg.sender).pendingVault();
        return string.concat("laSN", Strings.toString(netuid));
    }
}
