// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {UnitsLib} from "../libraries/UnitsLib.sol";
import {IAddressMappingPrecompile} from "../precompiles/IAddressMappingPrecompile.sol";
import {IAlphaPrecompile} from "../precompiles/IAlphaPrecompile.sol";
import {StakingClient} from "../staking/StakingClient.sol";
import {ILiquidAlphaVault} from "../staking/interfaces/ILiquidAlphaVault.sol";
import {FeeMath} from "./FeeMath.sol";
import {IFundEngine} from "./IFundEngine.sol";

/// @title FundEngine
/// @notice The engine every fund strategy runs on: an ERC-20 share (with permit) over idle TAO and alpha positions,
/// valued at the subnets' moving prices; fees minted as shares; a redemption queue with a notice period; separated
/// roles with a timelock and a guardian's veto; an emergency shutdown that never blocks exits.
/// @dev Funds are clones (EIP-1167) of a strategy implementation: the implementation's constructor fixes the
/// precompile addresses (immutables, shared by every clone) and each clone is set up once by its initializer.
/// @dev Warning: `COLDKEY` (inherited) is the implementation's coldkey; a fund's own coldkey is `coldkey`, read from
/// the address mapping precompile when the clone is initialised. The engine never uses `_stakeOf`.
/// @dev NAV = idle TAO + Σ alpha of each position × its subnet's moving price − fees accrued and not yet minted. The
/// moving price is an average over many blocks, so no spot move within a block changes NAV, the price of a deposit or
/// the fee crystallised. It is capped at 1 TAO per alpha, as on the chain: alpha trading above 1 TAO is valued at 1
/// TAO, and the fund cannot buy it (see `_ceilingRaoPerAlpha`).
/// @dev A redemption is paid pro rata in the fund's assets: the idle TAO and, per position, the alpha share unstaked
/// (or, in kind, the liquid vault shares and, for direct stake, alpha owed to the redeemer). The holders who stay keep
/// exactly their share of every position, so a redemption never moves their NAV per share except by rounding, which
/// always favours the fund, and the dust of unstakes under `MIN_UNSTAKE_RAO`, which stays with them. A position whose
/// sale would break the policy's floor (a crash) is paid in kind, so the queue never stalls.
abstract contract FundEngine is IFundEngine, StakingClient, ERC20Permit, Initializable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 internal constant MAX_MANAGEMENT_FEE_BPS = 500;
    uint256 internal constant MAX_PERFORMANCE_FEE_BPS = 3_000;
    uint256 internal constant MAX_SLIPPAGE_BPS = 1_000;
    uint256 internal constant MAX_POSITIONS = 32;
    uint256 internal constant MAX_NOTICE_SECONDS = 30 days;
    /// @dev A risk-increasing change waits at least the notice period plus this margin, so every holder who objects
    /// can request a redemption and be paid before it applies.
    uint256 internal constant MIN_TIMELOCK_MARGIN_SECONDS = 1 days;
    /// @dev Virtual shares and assets of the share price (1 share = 1 TAO at the start: 1e18 shares per 1e9 rao):
    /// they make a first deposit's price independent of donations, so inflating the price costs the attacker.
    uint256 internal constant VIRTUAL_SHARES = 1e9;
    uint256 internal constant VIRTUAL_RAO = 1;
    /// @dev Below this value (at the moving price) an unstake is skipped: the chain refuses amounts under its minimum
    /// stake. In a redemption batch the skipped alpha stays in the fund, to the benefit of the holders who remain, so
    /// the batch's redeemers are paid less than their NAV value by at most this much (0.005 TAO) per position,
    /// shared among them in proportion to their shares. That is the only dust a redeemer bears beyond rounding.
    uint256 internal constant MIN_UNSTAKE_RAO = 5_000_000;
    uint256 internal constant BPS = 10_000;

    string private _fundName;
    string private _fundSymbol;

    /// @notice The fund's coldkey (its mapped account), which holds its stake.
    bytes32 public coldkey;
    Roles internal _roles;
    uint16 public managementFeeBps;
    uint16 public performanceFeeBps;
    uint16 public maxSlippageBps;
    uint32 public noticePeriodSeconds;
    uint32 public timelockSeconds;
    uint64 public lastFeeAccrual;
    bool public isShutDown;
    uint256 public highWaterMarkRaoPerShareWad;
    uint256 public minRedemptionShares;

    Position[] internal _positions;
    mapping(bytes32 key => bool) internal _positionKnown;

    mapping(uint256 id => Request) internal _requests;
    uint256 public queueHead;
    uint256 public queueTail;
    /// @notice Shares held by the fund for redemptions waiting in the queue.
    uint256 public lockedShares;

    /// @notice TAO owed to accounts (processed redemptions, refunds), withdrawn with `claim`.
    mapping(address account => uint256) public claimableRao;
    /// @dev TAO in the balance that is not the fund's: owed claims plus what a strategy holds apart (a raise).
    uint256 internal _reservedRao;

    /// @notice Alpha of a direct position owed to an account (a redemption paid in kind), taken with `claimStake` or
    /// `sellClaimedStake`. It stays staked on the fund's coldkey until then and is not the fund's.
    mapping(address account => mapping(uint256 index => uint256)) public claimableAlphaRao;
    /// @notice Per direct position, the alpha owed to redeemers in all (Σ of `claimableAlphaRao`).
    mapping(uint256 index => uint256) public owedAlphaRao;

    mapping(bytes32 id => uint256) public etaOf;

    modifier onlyGovernance() {
        if (msg.sender != _roles.governance) revert NotGovernance(msg.sender);
        _;
    }

    modifier onlyManager() {
        if (msg.sender != _roles.manager) revert NotManager(msg.sender);
        _;
    }

    /// @dev Functions reached only through the timelock (`execute`).
    modifier onlySelf() {
        if (msg.sender != address(this)) revert NotSelf(msg.sender);
        _;
    }

    modifier notShutDown() {
        if (isShutDown) revert IsShutDown();
        _;
    }

    constructor(
        Precompiles memory precompiles_
    ) StakingClient(precompiles_) ERC20("", "") ERC20Permit("Alpha Markets Fund") {
        _disableInitializers();
    }

    /// @notice Accepts TAO from vault redemptions and refunds. TAO sent by anyone else is a gift to the holders.
    receive() external payable {}

    /* SET-UP */

    function _initEngine(EngineConfig memory config) internal onlyInitializing {
        _fundName = config.name;
        _fundSymbol = config.symbol;
        coldkey = IAddressMappingPrecompile(ADDRESS_MAPPING).addressMapping(address(this));
        _setRoles(config.roles);
        _checkFees(config.managementFeeBps, config.performanceFeeBps);
        managementFeeBps = config.managementFeeBps;
        performanceFeeBps = config.performanceFeeBps;
        _setSlippage(config.maxSlippageBps);
        _setDelays(config.noticePeriodSeconds, config.timelockSeconds);
        minRedemptionShares = config.minRedemptionShares;
        lastFeeAccrual = uint64(block.timestamp);
        for (uint256 i; i < config.positions.length; ++i) _addPosition(config.positions[i]);
    }

    /// @notice The share token's name, chosen at launch.
    function name() public view override returns (string memory) {
        return _fundName;
    }

    /// @notice The share token's symbol, chosen at launch.
    function symbol() public view override returns (string memory) {
        return _fundSymbol;
    }

    /// @dev The fund's own shares (locked in the redemption queue, held for a raise's claims or for vesting) move only
    /// by the fund's own logic. A call the fund makes to itself (a timelocked `execute`) runs with the fund as the
    /// sender, so it could otherwise transfer them, queue them for another receiver or approve a spender.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(this) && msg.sender == address(this)) revert FundSharesNotMovable();
        super._update(from, to, value);
    }

    /// @dev The fund never approves a spender of its own shares (see `_update`).
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        if (owner == address(this)) revert FundSharesNotMovable();
        super._approve(owner, spender, value, emitEvent);
    }

    /* VALUATION */

    /// @notice The fund's TAO that is neither owed nor held apart, in whole rao.
    function idleRao() public view returns (uint256) {
        uint256 balance = _balanceRao();
        return balance > _reservedRao ? balance - _reservedRao : 0;
    }

    /// @notice TAO held for others: claims owed and any amount a strategy keeps apart.
    function reservedRao() external view returns (uint256) {
        return _reservedRao;
    }

    /// @notice The positions the fund may hold.
    function positions() external view returns (Position[] memory) {
        return _positions;
    }

    /// @notice The alpha of position `index` that is the fund's: its stake less the alpha owed to redeemers, or the
    /// alpha behind its vault shares.
    function positionAlphaRao(uint256 index) public view returns (uint256) {
        Position storage p = _positions[index];
        if (p.vault == address(0)) {
            uint256 stakeRao = _stakeOfColdkey(p.hotkey, coldkey, p.netuid);
            uint256 owed = owedAlphaRao[index];
            return stakeRao > owed ? stakeRao - owed : 0;
        }
        ILiquidAlphaVault vault = ILiquidAlphaVault(p.vault);
        uint256 shares = IERC20(p.vault).balanceOf(address(this));
        return shares == 0 ? 0 : vault.convertToAssets(shares);
    }

    /// @notice The subnet's moving price in rao per alpha, rounded down (0 when unreadable).
    function movingPriceRaoPerAlpha(uint16 netuid) public view returns (uint256) {
        (, uint256 priceWad) = _tryAlphaView(abi.encodeCall(IAlphaPrecompile.getMovingAlphaPrice, (netuid)));
        return UnitsLib.wadToRaoPerAlphaDown(priceWad);
    }

    /// @notice Position `index` valued at its subnet's moving price, rounded down.
    function positionValueRao(uint256 index) public view returns (uint256) {
        uint256 alphaRao = positionAlphaRao(index);
        if (alphaRao == 0) return 0;
        return UnitsLib.alphaToRaoDown(alphaRao, movingPriceRaoPerAlpha(_positions[index].netuid));
    }

    /// @notice Gross asset value: idle TAO plus every position at moving prices, before fees.
    function grossAssetsRao() public view returns (uint256 gavRao) {
        gavRao = idleRao();
        uint256 n = _positions.length;
        for (uint256 i; i < n; ++i) gavRao += positionValueRao(i);
    }

    /// @notice Net asset value: gross assets minus the fees accrued and not yet minted.
    function navRao() public view returns (uint256) {
        (uint256 gav, uint256 supply, uint256 feeShares) = _navState();
        return gav - FeeMath.dilutionValueRaoDown(feeShares, supply, gav);
    }

    /// @notice Fee shares that would be minted now (management, performance) and the high-water mark after them.
    function pendingFeeShares() external view returns (uint256 managementShares, uint256 performanceShares, uint256) {
        return _pendingFeeShares(grossAssetsRao(), totalSupply());
    }

    /// @notice NAV per 1e18 shares, in rao, with pending fees counted.
    function sharePriceRaoPerShareWad() external view returns (uint256) {
        (uint256 gav, uint256 supply, uint256 feeShares) = _navState();
        return FeeMath.sharePriceRaoPerShareWadDown(gav, supply + feeShares);
    }

    /// @notice Shares a deposit of `taoRao` would receive now, rounded down.
    function previewDeposit(uint256 taoRao) external view returns (uint256) {
        (uint256 gav, uint256 supply, uint256 feeShares) = _navState();
        return Math.mulDiv(taoRao, supply + feeShares + VIRTUAL_SHARES, gav + VIRTUAL_RAO);
    }

    /// @notice The value of `shares` at NAV, rounded down: what a redemption pays before unstaking slippage.
    function previewRedeemRao(uint256 shares) external view returns (uint256) {
        (uint256 gav, uint256 supply, uint256 feeShares) = _navState();
        return Math.mulDiv(shares, gav + VIRTUAL_RAO, supply + feeShares + VIRTUAL_SHARES);
    }

    /// @dev Gross assets, share supply and the fee shares pending now.
    function _navState() private view returns (uint256 gav, uint256 supply, uint256 feeShares) {
        gav = grossAssetsRao();
        supply = totalSupply();
        (uint256 m, uint256 p, ) = _pendingFeeShares(gav, supply);
        feeShares = m + p;
    }

    /* FEES */

    /// @notice Mints the fees accrued so far (anyone may call it; it changes no holder's value beyond the fee).
    function accrueFees() external nonReentrant {
        _accrueFees(0);
    }

    function _pendingFeeShares(
        uint256 gavRao,
        uint256 supply
    ) internal view returns (uint256 managementShares, uint256 performanceShares, uint256 hwm) {
        hwm = highWaterMarkRaoPerShareWad;
        if (isShutDown || supply == 0) return (0, 0, hwm);
        managementShares = FeeMath.managementFeeSharesDown(supply, managementFeeBps, block.timestamp - lastFeeAccrual);
        if (hwm == 0) {
            // The first valuation sets the mark: nothing earned before it is a gain.
            hwm = FeeMath.sharePriceRaoPerShareWadDown(gavRao, supply + managementShares);
        } else {
            (performanceShares, hwm) = FeeMath.performanceFeeSharesDown(
                gavRao,
                supply + managementShares,
                hwm,
                performanceFeeBps
            );
        }
    }

    /// @dev Mints the accrued fees to the fee recipient. `excludeRao` is TAO already in the balance that is not yet
    /// the fund's (the value of a deposit in flight), so it is neither charged nor counted as a gain.
    function _accrueFees(uint256 excludeRao) internal {
        uint256 supply = totalSupply();
        if (isShutDown || supply == 0) {
            lastFeeAccrual = uint64(block.timestamp);
            return;
        }
        uint256 gav = grossAssetsRao() - excludeRao;
        (uint256 m, uint256 p, uint256 hwm) = _pendingFeeShares(gav, supply);
        lastFeeAccrual = uint64(block.timestamp);
        highWaterMarkRaoPerShareWad = hwm;
        if (m + p != 0) _mint(_roles.feeRecipient, m + p);
        emit FeesAccrued(m, p, hwm);
    }

    /// @dev After the first shares exist, the mark is their price.
    function _setMarkIfUnset() internal {
        if (highWaterMarkRaoPerShareWad == 0 && totalSupply() != 0) {
            highWaterMarkRaoPerShareWad = FeeMath.sharePriceRaoPerShareWadDown(grossAssetsRao(), totalSupply());
            lastFeeAccrual = uint64(block.timestamp);
        }
    }

    /* DEPOSITS */

    /// @dev Mints shares at NAV for `msg.value` (a whole number of rao).
    function _depositAtNav(address receiver, uint256 minSharesOut) internal returns (uint256) {
        uint256 taoRao = _wholeRao(msg.value);
        return _mintAtNav(receiver, taoRao, taoRao, minSharesOut);
    }

    /// @dev Mints shares at NAV for a deposit worth `valueRao` whose assets, already in the fund, add `inAssetsRao` to
    /// its gross assets (the same for TAO; for alpha, its moving-price value, which may exceed `valueRao`). Fees are
    /// settled first, on the fund without the deposit; shares round down.
    function _mintAtNav(
        address receiver,
        uint256 valueRao,
        uint256 inAssetsRao,
        uint256 minSharesOut
    ) internal returns (uint256 shares) {
        if (isShutDown) revert IsShutDown();
        if (receiver == address(0)) revert ZeroAddress("receiver");
        if (valueRao == 0) revert ZeroAmount();
        _accrueFees(inAssetsRao);
        uint256 navBefore = grossAssetsRao() - inAssetsRao;
        shares = Math.mulDiv(valueRao, totalSupply() + VIRTUAL_SHARES, navBefore + VIRTUAL_RAO);
        if (shares == 0 || shares < minSharesOut) revert SharesBelowMinimum(shares, minSharesOut);
        _mint(receiver, shares);
        _setMarkIfUnset();
        emit Deposit(msg.sender, receiver, valueRao, shares);
    }

    function _wholeRao(uint256 amountWei) internal pure returns (uint256) {
        if (amountWei % 1e9 != 0) revert NotWholeRao(amountWei);
        return amountWei / 1e9;
    }

    /* REDEMPTIONS */

    /// @notice Queues a redemption of `shares`, locking them in the fund; it can be processed after the notice period
    /// (at once after a shutdown). `inKind` pays the positions in kind instead of TAO: vault shares, and for direct
    /// positions alpha owed to `receiver` (see `claimStake`). The idle TAO part is always paid in TAO.
    function requestRedemption(
        uint256 shares,
        address receiver,
        bool inKind
    ) external nonReentrant returns (uint256 id) {
        if (receiver == address(0)) revert ZeroAddress("receiver");
        if (shares == 0) revert ZeroAmount();
        // A holder's whole balance may always leave, however small.
        if (shares < minRedemptionShares && shares != balanceOf(msg.sender)) {
            revert RedemptionTooSmall(shares, minRedemptionShares);
        }
        _transfer(msg.sender, address(this), shares);
        lockedShares += shares;
        id = queueTail++;
        uint64 readyAt = uint64(block.timestamp + noticePeriodSeconds);
        _requests[id] = Request(msg.sender, receiver, readyAt, inKind, shares);
        emit RedemptionRequested(id, msg.sender, receiver, shares, inKind, readyAt);
    }

    /// @notice Takes back the unfilled shares of a queued redemption.
    function cancelRedemption(uint256 id) external nonReentrant {
        Request storage r = _requests[id];
        if (r.owner != msg.sender) revert NotRequestOwner(id, msg.sender);
        uint256 shares = r.shares;
        if (shares == 0) revert NothingToCancel(id);
        r.shares = 0;
        lockedShares -= shares;
        _transfer(address(this), msg.sender, shares);
        emit RedemptionCancelled(id, msg.sender, shares);
    }

    /// @notice A queued redemption.
    function request(uint256 id) external view returns (Request memory) {
        return _requests[id];
    }

    /// @notice Processes up to `maxRequests` ready redemptions from the head of the queue, filling at most `maxShares`
    /// of them. Anyone may call it, and neither a crash nor a shutdown makes it stall.
    /// @dev When the ready requests hold more than `maxShares`, each is filled by the same fraction and keeps its place
    /// for the rest (a large exit can be spread over several batches to limit price impact). Cost per request is
    /// constant: two passes over the batch; the selling is done once per position for the whole batch. Payouts are
    /// credited to `claimableRao` (a receiver that refuses TAO cannot block the queue).
    /// @dev Redeemers bear the actual execution: the TAO a position's sale fetches is theirs. The policy's floor (the
    /// moving price less the slippage allowed) only guards them against a sandwich; a position whose sale would fetch
    /// less (a crash: the spot price far below the moving price) is paid in kind to the whole batch instead (vault
    /// shares, or alpha owed on the fund's stake), so the queue always moves and the holders who stay keep exactly
    /// their share of every position.
    function processRedemptions(
        uint256 maxRequests,
        uint256 maxShares
    ) external virtual nonReentrant returns (uint256 sharesBurned, uint256 taoRao) {
        _accrueFees(0);
        Batch memory b;
        b.supply = totalSupply();
        uint256 head = queueHead;
        uint256 end = Math.min(queueTail, head + maxRequests);
        bool ignoreNotice = isShutDown;
        uint256 id = head;
        for (; id < end; ++id) {
            Request storage r = _requests[id];
            if (r.shares == 0) continue;
            if (!ignoreNotice && r.readyAt > block.timestamp) break;
            if (r.inKind) b.sharesKind += r.shares;
            else b.sharesTao += r.shares;
        }
        b.end = id;
        uint256 total = b.sharesTao + b.sharesKind;
        if (total != 0) {
            b.fillNum = Math.min(total, maxShares);
            b.fillDen = total;
            if (b.fillNum != 0) {
                _liquidate(b);
                (sharesBurned, taoRao) = _payBatch(b, head);
                _burn(address(this), sharesBurned);
                lockedShares -= sharesBurned;
                emit RedemptionBatch(b.end - head, sharesBurned, taoRao);
            }
        }
        while (head < queueTail && _requests[head].shares == 0) ++head;
        queueHead = head;
    }

    struct Batch {
        uint256 supply;
        uint256 end;
        uint256 sharesTao;
        uint256 sharesKind;
        uint256 fillNum;
        uint256 fillDen;
        uint256 filledTao;
        uint256 idleRao;
        uint256 soldRao;
        // Bit i set: position i is paid in kind to every request of the batch (its sale would break the floor).
        uint256 inKindMask;
        // Per position, what the fund held before the batch: alpha (direct) or vault shares.
        uint256[] held;
        // Per direct position, the alpha the batch leaves owed to its receivers.
        uint256[] owed;
    }

    /// @dev Sells, for the requests paid in TAO, their part of every position; a position whose sale would break the
    /// policy's floor is left for `_payBatch` to pay in kind. The idle TAO needs no selling.
    function _liquidate(Batch memory b) private {
        b.filledTao = Math.mulDiv(b.sharesTao, b.fillNum, b.fillDen);
        b.idleRao = idleRao();
        uint256 n = _positions.length;
        b.held = new uint256[](n);
        b.owed = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            address vault = _positions[i].vault;
            uint256 held = vault == address(0) ? positionAlphaRao(i) : IERC20(vault).balanceOf(address(this));
            b.held[i] = held;
            uint256 amount = Math.mulDiv(held, b.filledTao, b.supply);
            if (amount == 0) continue;
            (bool sold, uint256 tao) = _sell(i, amount, 0, false);
            if (sold) {
                b.soldRao += tao;
            } else {
                b.inKindMask |= 1 << i;
                emit PaidInKind(i, amount);
            }
        }
    }

    /// @dev Pays every request of the batch its fraction `filled / supply` of the idle TAO, its part of the TAO the
    /// sales fetched (requests in TAO, by their part of the sold fraction) and, in kind, its fraction of each position
    /// (in-kind requests, and everyone for a position in `inKindMask`). Every amount rounds down.
    function _payBatch(Batch memory b, uint256 head) private returns (uint256 burned, uint256 paidRao) {
        bool ignoreNotice = isShutDown;
        for (uint256 id = head; id < b.end; ++id) {
            Request storage r = _requests[id];
            uint256 shares = r.shares;
            if (shares == 0) continue;
            if (!ignoreNotice && r.readyAt > block.timestamp) continue;
            uint256 filled = Math.mulDiv(shares, b.fillNum, b.fillDen);
            if (filled == 0) continue;
            uint256 tao = Math.mulDiv(b.idleRao, filled, b.supply);
            if (!r.inKind && b.filledTao != 0) tao += Math.mulDiv(b.soldRao, filled, b.filledTao);
            if (r.inKind || b.inKindMask != 0) _payInKind(b, r.receiver, filled, r.inKind);
            r.shares = shares - filled;
            burned += filled;
            if (tao != 0) {
                claimableRao[r.receiver] += tao;
                paidRao += tao;
            }
            emit RedemptionFilled(id, r.receiver, filled, tao);
        }
        _reservedRao += paidRao;
        for (uint256 i; i < b.owed.length; ++i) if (b.owed[i] != 0) owedAlphaRao[i] += b.owed[i];
    }

    /// @dev Pays `receiver` the fraction `filled / supply` of every position (`all`) or of those in `inKindMask`.
    function _payInKind(Batch memory b, address receiver, uint256 filled, bool all) private {
        uint256 n = b.held.length;
        for (uint256 i; i < n; ++i) {
            if (!all && (b.inKindMask >> i) & 1 == 0) continue;
            uint256 amount = Math.mulDiv(b.held[i], filled, b.supply);
            if (amount == 0) continue;
            address vault = _positions[i].vault;
            if (vault != address(0)) {
                IERC20(vault).safeTransfer(receiver, amount);
            } else {
                claimableAlphaRao[receiver][i] += amount;
                b.owed[i] += amount;
            }
        }
    }

    /// @notice Moves the alpha of direct position `index` owed to the caller onto the coldkey `destinationColdkey`
    /// (the caller's own mapped account, for instance), where it stays staked on the position's hotkey.
    /// @dev Warning: the chain refuses a transfer below its minimum stake or on a subnet whose transfers are off; then
    /// `sellClaimedStake` turns the same alpha into TAO.
    function claimStake(
        uint256 index,
        bytes32 destinationColdkey
    ) external virtual nonReentrant returns (uint256 alphaRao) {
        if (destinationColdkey == bytes32(0)) revert ZeroAddress("destinationColdkey");
        Position storage p = _positions[index];
        alphaRao = _takeOwedAlpha(index);
        _transferStake(destinationColdkey, p.hotkey, p.netuid, p.netuid, alphaRao);
        emit StakeClaimed(msg.sender, index, destinationColdkey, alphaRao);
    }

    /// @notice Sells the alpha of direct position `index` owed to the caller at the pool's price, for at least
    /// `minTaoOutRao`, and sends the caller the TAO. The caller chooses when: once a crash has passed, for instance.
    function sellClaimedStake(
        uint256 index,
        uint256 minTaoOutRao
    ) external virtual nonReentrant returns (uint256 taoRao) {
        Position storage p = _positions[index];
        uint256 alphaRao = _takeOwedAlpha(index);
        uint256 before = address(this).balance;
        _removeStake(p.hotkey, p.netuid, alphaRao);
        taoRao = UnitsLib.weiToRaoDown(address(this).balance - before);
        if (taoRao < minTaoOutRao) revert PriceBelowFloor(index, taoRao, minTaoOutRao);
        _sendTao(msg.sender, taoRao);
        emit StakeClaimed(msg.sender, index, bytes32(0), alphaRao);
    }

    function _takeOwedAlpha(uint256 index) private returns (uint256 alphaRao) {
        alphaRao = claimableAlphaRao[msg.sender][index];
        if (alphaRao == 0) revert NothingToClaim(msg.sender);
        claimableAlphaRao[msg.sender][index] = 0;
        owedAlphaRao[index] -= alphaRao;
    }

    /// @notice Sends the caller the TAO owed to it.
    function claim() external nonReentrant returns (uint256 taoRao) {
        taoRao = claimableRao[msg.sender];
        if (taoRao == 0) revert NothingToClaim(msg.sender);
        claimableRao[msg.sender] = 0;
        _reservedRao -= taoRao;
        _sendTao(msg.sender, taoRao);
        emit Claimed(msg.sender, taoRao);
    }

    function _sendTao(address to, uint256 amountRao) internal {
        uint256 amountWei = UnitsLib.raoToWei(amountRao);
        (bool ok, ) = to.call{value: amountWei}("");
        if (!ok) revert TaoTransferFailed(to, amountWei);
    }

    /* STAKING (within the policy) */

    /// @dev The lowest price at which the fund sells alpha on `netuid`: the moving price less the slippage allowed.
    function _floorRaoPerAlpha(uint16 netuid) internal view returns (uint256) {
        return Math.mulDiv(movingPriceRaoPerAlpha(netuid), BPS - maxSlippageBps, BPS);
    }

    /// @dev The highest price at which the fund buys alpha on `netuid`: the moving price plus the slippage allowed.
    /// @dev Warning: the moving price is capped at 1 TAO per alpha (subtensor caps it too), so the ceiling never
    /// exceeds 1 TAO × (1 + the slippage allowed), at most 1.1 TAO: a fund cannot buy alpha whose spot price is above
    /// it. Bittensor's subnets trade far below 1 TAO per alpha; for one that trades above, the fund's stake there can
    /// only come from rewards or from what it already holds, and it is valued at no more than 1 TAO per alpha.
    function _ceilingRaoPerAlpha(uint16 netuid) internal view returns (uint256) {
        return Math.mulDiv(movingPriceRaoPerAlpha(netuid), BPS + maxSlippageBps, BPS);
    }

    /// @dev Stakes up to `taoRao` of idle TAO into position `index` at no more than `limitRaoPerAlpha` (capped by the
    /// policy's ceiling): what would push the price past the limit is not spent. Returns the alpha gained.
    function _stakeInto(uint256 index, uint256 taoRao, uint256 limitRaoPerAlpha) internal returns (uint256 alphaRao) {
        _checkIndex(index);
        if (taoRao == 0) revert ZeroAmount();
        uint256 idle = idleRao();
        if (taoRao > idle) revert InsufficientIdle(taoRao, idle);
        Position storage p = _positions[index];
        uint256 limit = Math.min(limitRaoPerAlpha, _ceilingRaoPerAlpha(p.netuid));
        uint256 spot = _trySpotPriceRao(p.netuid);
        if (spot == 0 || spot > limit) revert PriceAboveLimit(index, spot, limit);
        uint256 before = positionAlphaRao(index);
        uint256 balanceBefore = address(this).balance;
        if (p.vault == address(0)) {
            // Partial: the chain stakes only up to the limit price; the rest stays idle.
            _addStakeLimit(p.hotkey, p.netuid, taoRao, limit, true);
        } else {
            ILiquidAlphaVault(p.vault).deposit{value: UnitsLib.raoToWei(taoRao)}(
                address(this),
                1,
                limit,
                block.timestamp
            );
        }
        alphaRao = positionAlphaRao(index) - before;
        emit Staked(index, UnitsLib.weiToRaoDown(balanceBefore - address(this).balance), alphaRao);
    }

    /// @dev Sells `amount` of position `index` (alpha of a direct position, shares of a vault) for at least the
    /// policy's floor (and `minRaoPerAlpha`) on the alpha sold. The price is checked before selling, on the chain's
    /// simulation of the sale or the vault's preview (in the same block the sale fetches what they quote): below the
    /// floor, a `strict` sale reverts and any other sells nothing (`sold` false). Amounts worth less than
    /// `MIN_UNSTAKE_RAO` are kept (`sold` true, no TAO): the chain refuses unstakes below its minimum. Alpha owed to
    /// redeemers is not the fund's and cannot be sold.
    function _sell(
        uint256 index,
        uint256 amount,
        uint256 minRaoPerAlpha,
        bool strict
    ) internal returns (bool sold, uint256 taoRao) {
        Position storage p = _positions[index];
        ILiquidAlphaVault vault = ILiquidAlphaVault(p.vault);
        bool direct = address(vault) == address(0);
        uint256 alphaRao = amount;
        if (direct) {
            uint256 held = positionAlphaRao(index);
            if (amount > held) revert StakeAboveHolding(index, amount, held);
        } else {
            alphaRao = vault.convertToAssets(amount);
        }
        if (amount == 0 || UnitsLib.alphaToRaoDown(alphaRao, movingPriceRaoPerAlpha(p.netuid)) < MIN_UNSTAKE_RAO) {
            return (true, 0);
        }
        uint256 floorRao = UnitsLib.alphaToRaoDown(alphaRao, Math.max(_floorRaoPerAlpha(p.netuid), minRaoPerAlpha));
        (bool ok, uint256 quoteRao) = direct
            ? _trySimAlphaForTao(p.netuid, alphaRao)
            : (true, vault.previewRedeem(amount));
        if (!ok || quoteRao < floorRao) {
            if (strict) revert PriceBelowFloor(index, quoteRao, floorRao);
            return (false, 0);
        }
        uint256 before = address(this).balance;
        if (direct) _removeStake(p.hotkey, p.netuid, amount);
        else vault.redeem(amount, address(this), address(this), floorRao, block.timestamp);
        taoRao = UnitsLib.weiToRaoDown(address(this).balance - before);
        if (taoRao < floorRao) revert PriceBelowFloor(index, taoRao, floorRao);
        emit Unstaked(index, alphaRao, taoRao);
        return (true, taoRao);
    }

    /// @dev Sells `alphaRao` of position `index` (vault positions: the shares behind that alpha), or reverts.
    function _unstakeFrom(uint256 index, uint256 alphaRao, uint256 minRaoPerAlpha) internal returns (uint256 taoRao) {
        _checkIndex(index);
        address vault = _positions[index].vault;
        uint256 amount = alphaRao;
        if (vault != address(0)) {
            amount = Math.min(
                ILiquidAlphaVault(vault).convertToShares(alphaRao),
                IERC20(vault).balanceOf(address(this))
            );
        }
        (, taoRao) = _sell(index, amount, minRaoPerAlpha, true);
    }

    /// @dev Moves `alphaRao` between two direct positions (a swap through the pools when the netuids differ); the
    /// fund's value at moving prices may fall by at most the slippage allowed.
    function _moveBetween(uint256 from, uint256 to, uint256 alphaRao) internal {
        _checkIndex(from);
        _checkIndex(to);
        Position storage a = _positions[from];
        Position storage c = _positions[to];
        if (a.vault != address(0) || c.vault != address(0)) revert InvalidPosition(c.netuid, c.hotkey, c.vault);
        uint256 held = positionAlphaRao(from);
        if (alphaRao > held) revert StakeAboveHolding(from, alphaRao, held);
        uint256 before = grossAssetsRao();
        _moveStake(a.hotkey, c.hotkey, a.netuid, c.netuid, alphaRao);
        _checkNavLoss(before);
        emit StakeMoved(from, to, alphaRao);
    }

    function _checkNavLoss(uint256 beforeRao) internal view {
        uint256 afterRao = grossAssetsRao();
        if (afterRao < Math.mulDiv(beforeRao, BPS - maxSlippageBps, BPS)) {
            revert NavLossAboveSlippage(beforeRao, afterRao, maxSlippageBps);
        }
    }

    function _checkIndex(uint256 index) internal view {
        if (index >= _positions.length) revert UnknownPosition(index, _positions.length);
    }

    /* GOVERNANCE AND TIMELOCK */

    /// @notice The fund's roles.
    function roles() external view returns (Roles memory) {
        return _roles;
    }

    /// @notice Schedules a risk-increasing change: `data` is a call to one of this fund's timelocked functions. It
    /// can be executed after `timelockSeconds`, unless the guardian vetoes it.
    function schedule(bytes calldata data) external onlyGovernance returns (bytes32 id) {
        id = keccak256(data);
        if (etaOf[id] != 0) revert AlreadyScheduled(id);
        uint256 eta = block.timestamp + timelockSeconds;
        etaOf[id] = eta;
        emit Scheduled(id, data, eta);
    }

    /// @notice Cancels a scheduled change (the guardian's veto, or governance withdrawing it).
    function veto(bytes32 id) external {
        if (msg.sender != _roles.guardian && msg.sender != _roles.governance) revert NotGuardian(msg.sender);
        if (etaOf[id] == 0) revert NotScheduled(id);
        delete etaOf[id];
        emit Vetoed(id, msg.sender);
    }

    /// @notice Applies a scheduled change once its delay has passed.
    function execute(bytes calldata data) external onlyGovernance nonReentrant {
        bytes32 id = keccak256(data);
        uint256 eta = etaOf[id];
        if (eta == 0) revert NotScheduled(id);
        if (block.timestamp < eta) revert TimelockPending(eta, block.timestamp);
        delete etaOf[id];
        (bool ok, bytes memory ret) = address(this).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        emit Executed(id, data);
    }

    /// @notice Timelocked: replaces the roles (a new manager, guardian, governance or fee recipient).
    function setRoles(Roles calldata newRoles) external onlySelf {
        _setRoles(newRoles);
    }

    /// @notice Timelocked: sets the fees (any increase goes through here), within the caps.
    function setFees(uint16 newManagementFeeBps, uint16 newPerformanceFeeBps) external onlySelf {
        _changeFees(newManagementFeeBps, newPerformanceFeeBps);
    }

    /// @notice Lowers the fees at once (a change that only favours the holders).
    function lowerFees(uint16 newManagementFeeBps, uint16 newPerformanceFeeBps) external onlyGovernance nonReentrant {
        if (newManagementFeeBps > managementFeeBps) revert FeeAboveCap(newManagementFeeBps, managementFeeBps);
        if (newPerformanceFeeBps > performanceFeeBps) revert FeeAboveCap(newPerformanceFeeBps, performanceFeeBps);
        _changeFees(newManagementFeeBps, newPerformanceFeeBps);
    }

    /// @notice Timelocked: admits a new position (a new hotkey, subnet or vault).
    function addPosition(Position calldata position) external onlySelf {
        _addPosition(position);
    }

    /// @notice Timelocked: sets the slippage allowed on the fund's trades.
    function setMaxSlippage(uint16 newMaxSlippageBps) external onlySelf {
        _setSlippage(newMaxSlippageBps);
    }

    /// @notice Timelocked: sets the notice period and the timelock.
    function setDelays(uint32 newNoticeSeconds, uint32 newTimelockSeconds) external onlySelf {
        _setDelays(newNoticeSeconds, newTimelockSeconds);
    }

    /// @notice Stops deployment, deposits and fees for good. Redemptions go on, without the notice period.
    function shutdown() external {
        if (msg.sender != _roles.guardian && msg.sender != _roles.governance) revert NotGuardian(msg.sender);
        if (isShutDown) revert IsShutDown();
        _accrueFees(0);
        isShutDown = true;
        emit ShutDown(msg.sender);
    }

    function _changeFees(uint16 newManagementFeeBps, uint16 newPerformanceFeeBps) private {
        _checkFees(newManagementFeeBps, newPerformanceFeeBps);
        _accrueFees(0); // the old rates apply up to now
        managementFeeBps = newManagementFeeBps;
        performanceFeeBps = newPerformanceFeeBps;
        emit FeesChanged(newManagementFeeBps, newPerformanceFeeBps);
    }

    function _checkFees(uint256 mgmtBps, uint256 perfBps) private pure {
        if (mgmtBps > MAX_MANAGEMENT_FEE_BPS) revert FeeAboveCap(mgmtBps, MAX_MANAGEMENT_FEE_BPS);
        if (perfBps > MAX_PERFORMANCE_FEE_BPS) revert FeeAboveCap(perfBps, MAX_PERFORMANCE_FEE_BPS);
    }

    function _setRoles(Roles memory r) private {
        if (r.governance == address(0)) revert ZeroAddress("governance");
        if (r.guardian == address(0)) revert ZeroAddress("guardian");
        if (r.manager == address(0)) revert ZeroAddress("manager");
        if (r.feeRecipient == address(0)) revert ZeroAddress("feeRecipient");
        _roles = r;
        emit RolesChanged(r.governance, r.guardian, r.manager, r.feeRecipient);
    }

    function _setSlippage(uint256 bps) private {
        if (bps > MAX_SLIPPAGE_BPS) revert SlippageAboveCap(bps, MAX_SLIPPAGE_BPS);
        maxSlippageBps = uint16(bps);
    }

    function _setDelays(uint256 noticeSeconds, uint256 timelockSeconds_) private {
        if (noticeSeconds > MAX_NOTICE_SECONDS) revert NoticeTooLong(noticeSeconds, MAX_NOTICE_SECONDS);
        uint256 minimum = noticeSeconds + MIN_TIMELOCK_MARGIN_SECONDS;
        if (timelockSeconds_ < minimum) revert TimelockTooShort(timelockSeconds_, minimum);
        noticePeriodSeconds = uint32(noticeSeconds);
        timelockSeconds = uint32(timelockSeconds_);
    }

    function _addPosition(Position memory p) internal {
        uint256 n = _positions.length;
        if (n >= MAX_POSITIONS) revert TooManyPositions(n + 1, MAX_POSITIONS);
        if (p.netuid == 0 || (p.vault == address(0) && p.hotkey == bytes32(0))) {
            revert InvalidPosition(p.netuid, p.hotkey, p.vault);
        }
        if (p.vault != address(0)) {
            (uint16 netuid, bytes32 hotkey_, ) = ILiquidAlphaVault(p.vault).position();
            if (netuid != p.netuid || hotkey_ != p.hotkey) revert InvalidPosition(p.netuid, p.hotkey, p.vault);
        }
        bytes32 key = keccak256(abi.encode(p.netuid, p.hotkey, p.vault));
        if (_positionKnown[key]) revert DuplicatePosition(p.netuid, p.hotkey, p.vault);
        _positionKnown[key] = true;
        _positions.push(p);
        emit PositionAdded(n, p.netuid, p.hotkey, p.vault);
    }
}
