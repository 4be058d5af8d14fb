// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStakingV2
/// @notice Bittensor's staking precompile, version 2, at 0x0000000000000000000000000000000000000805: stake, unstake,
/// move and transfer alpha, read stake, and an ERC20-like allowance for pulling stake into a contract.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/staking.rs`, `StakingPrecompileV2`),
/// not of the `.sol`/`.abi` files shipped beside it. Amounts are raw 9-decimal integers: TAO in rao (1e-9 TAO), alpha
/// in alpha-rao (1e-9 alpha). No 1e9 scaling happens here, unlike the deprecated version 1 at 0x801.
/// @dev Every `uint256 netuid` must be below 65,536; a larger value fails ("the value is outside of u16 bounds").
/// Amounts passed as `uint256` are saturated to 2^64 − 1 before use, except where a function says otherwise.
/// @dev Warning: the caller is the coldkey. When a contract calls this precompile, the stake belongs to the
/// contract's mapped account blake2b_256("evm:" ‖ contract address), never to the user who called the contract.
/// @dev Warning: never attach value. TAO to stake is debited from the caller's own balance; `msg.value` sent to a
/// payable function here is not used, not refunded, and stays in the precompile's account.
/// @dev Warning: a failed call (a dispatch error such as too little stake, a missing hotkey or a disabled subnet)
/// ends in an EVM error, not a revert: it consumes all gas forwarded to the call and returns no data. Forward a
/// bounded amount of gas when the caller must continue after a failure.
/// @dev Warning: this precompile emits no EVM events; the chain records Substrate events only (StakeAdded,
/// StakeRemoved, …). Emit your own events, and measure outcomes with `getStake` and `address(this).balance`
/// before and after, never from the nominal amounts.
/// @dev Warning: unstaked TAO is credited to the caller's balance directly, without calling `receive()` or
/// `fallback()`; a contract that rejects plain transfers still receives it.
/// @dev Warning: root can switch the precompile off (admin-utils `PrecompileEnable`); every call then fails.
/// @dev Warning: call the functions that return nothing with a low-level call and check its success, for example
/// `Precompiles.X.call(abi.encodeCall(I.f, (…)))`. Before such a function, a high-level Solidity call requires code
/// at the target (`extcodesize > 0`) and reverts without it, and it is not established that the precompile
/// addresses hold code on Bittensor. Functions that return data skip that check.
interface IStakingV2 {
    /* STAKE AND UNSTAKE */

    /// @notice Stakes `amountRao` of the caller's TAO on `hotkey` in subnet `netuid`, buying alpha from the subnet's
    /// pool at any price.
    /// @dev Warning: TAO is debited from the caller's balance, not taken from `msg.value`. A contract that received
    /// TAO as `msg.value` passes `msg.value / 1e9` here.
    /// @dev Warning: no price limit: the swap is exposed to slippage and sandwiching; prefer `addStakeLimit`.
    /// @dev Warning: the amount is capped at what the caller can spend while keeping the existential deposit
    /// (500 rao), so up to 500 rao less may be staked than asked.
    /// @dev Warning: fails when the amount is below the chain's minimum stake (DefaultMinStake, 2,000,000 rao at the
    /// read commit) plus the swap fee, when `hotkey` has never been registered, or before the subnet's owner has
    /// started it (subtoken disabled).
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param amountRao TAO to stake, in rao.
    /// @param netuid The subnet.
    function addStake(bytes32 hotkey, uint256 amountRao, uint256 netuid) external payable;

    /// @notice Unstakes `amountAlphaRao` of the caller's alpha from `hotkey` in subnet `netuid`, selling it to the
    /// pool at any price; the TAO goes to the caller's balance.
    /// @dev Warning: the amount is silently capped at the caller's stake; asking for more unstakes everything.
    /// @dev Warning: no price limit; prefer `removeStakeLimit`.
    /// @dev Warning: if the caller does not own `hotkey` and the remaining stake is worth less than the nominator
    /// minimum (`getNominatorMinRequiredStake`, at the spot price), the remainder is unstaked too.
    /// @dev Warning: the TAO arrives without calling `receive()`.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param amountAlphaRao Alpha to unstake, in alpha-rao.
    /// @param netuid The subnet.
    function removeStake(bytes32 hotkey, uint256 amountAlphaRao, uint256 netuid) external payable;

    /// @notice Unstakes the caller's whole position on (`hotkey`, `netuid`) at any price.
    /// @dev Warning: no price limit; prefer `removeStakeFullLimit`. The TAO arrives without calling `receive()`.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param netuid The subnet.
    function removeStakeFull(bytes32 hotkey, uint256 netuid) external payable;

    /// @notice Unstakes the caller's whole position on (`hotkey`, `netuid`), all or nothing, only if it sells at
    /// `limitPriceRaoPerAlpha` or better.
    /// @dev Warning: unlike the other limit prices, `limitPriceRaoPerAlpha` is not saturated: a value of 2^64 or
    /// more fails ("the value is outside of u64 bounds").
    /// @dev Warning: the TAO arrives without calling `receive()`.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param netuid The subnet.
    /// @param limitPriceRaoPerAlpha The lowest acceptable price, in rao per whole alpha (TAO per alpha × 1e9).
    function removeStakeFullLimit(bytes32 hotkey, uint256 netuid, uint256 limitPriceRaoPerAlpha) external payable;

    /// @notice Stakes up to `amountRao` of the caller's TAO on `hotkey` in subnet `netuid` without pushing the pool
    /// price above `limitPriceRaoPerAlpha`.
    /// @dev With `allowPartial` the largest amount that keeps the price at or below the limit is staked; without it
    /// the call fails (SlippageTooHigh) when the whole amount would cross the limit.
    /// @dev Warning: TAO is debited from the caller's balance, not taken from `msg.value`; the same minimum stake,
    /// hotkey and existential-deposit rules as `addStake` apply.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param amountRao TAO to stake, in rao.
    /// @param limitPriceRaoPerAlpha The highest acceptable pool price, in rao per whole alpha (TAO per alpha × 1e9);
    /// saturated to 2^64 − 1.
    /// @param allowPartial Whether a partial fill up to the limit is acceptable.
    /// @param netuid The subnet.
    function addStakeLimit(
        bytes32 hotkey,
        uint256 amountRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 netuid
    ) external payable;

    /// @notice Unstakes up to `amountAlphaRao` of the caller's alpha from `hotkey` in subnet `netuid` without pushing
    /// the pool price below `limitPriceRaoPerAlpha`.
    /// @dev Warning: unlike `removeStake`, the amount is not capped at the caller's stake: asking for more fails.
    /// @dev Warning: the nominator-minimum rule of `removeStake` applies; the TAO arrives without calling
    /// `receive()`.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param amountAlphaRao Alpha to unstake, in alpha-rao.
    /// @param limitPriceRaoPerAlpha The lowest acceptable pool price, in rao per whole alpha (TAO per alpha × 1e9);
    /// saturated to 2^64 − 1.
    /// @param allowPartial Whether a partial fill down to the limit is acceptable.
    /// @param netuid The subnet.
    function removeStakeLimit(
        bytes32 hotkey,
        uint256 amountAlphaRao,
        uint256 limitPriceRaoPerAlpha,
        bool allowPartial,
        uint256 netuid
    ) external payable;

    /// @notice Moves `amountAlphaRao` of the caller's stake from (`originHotkey`, `originNetuid`) to
    /// (`destinationHotkey`, `destinationNetuid`); the coldkey stays the caller.
    /// @dev Warning: across subnets this sells on the origin pool and buys on the destination pool at any price;
    /// when the TAO in between is below the minimum stake it stays as free TAO in the caller's balance.
    /// @dev Warning: the amount is not capped: more than the caller's stake fails. Locked alpha cannot leave its
    /// subnet.
    /// @param originHotkey The hotkey the stake leaves.
    /// @param destinationHotkey The hotkey the stake joins.
    /// @param originNetuid The subnet the stake leaves.
    /// @param destinationNetuid The subnet the stake joins.
    /// @param amountAlphaRao Alpha to move, in alpha-rao of the origin subnet.
    function moveStake(
        bytes32 originHotkey,
        bytes32 destinationHotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external payable;

    /// @notice Gives `amountAlphaRao` of the caller's stake on (`hotkey`, `originNetuid`) to `destinationColdkey`, on
    /// the same hotkey in `destinationNetuid`.
    /// @dev Warning: fails unless the subnet's owner allows transfers (`ISubnetPrecompile.toggleTransfers`) on the
    /// origin subnet and, when different, on the destination subnet.
    /// @dev Warning: the amount is not capped: more than the caller's stake fails. Across subnets the alpha is sold
    /// and bought at any price.
    /// @param destinationColdkey The receiving coldkey's 32-byte account id (for an EVM address: its mapped account).
    /// @param hotkey The hotkey the stake stays on.
    /// @param originNetuid The subnet the stake leaves.
    /// @param destinationNetuid The subnet the stake arrives in.
    /// @param amountAlphaRao Alpha to transfer, in alpha-rao of the origin subnet.
    function transferStake(
        bytes32 destinationColdkey,
        bytes32 hotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external payable;

    /// @notice Destroys up to `amountAlphaRao` of the caller's stake on (`hotkey`, `netuid`), reducing the subnet's
    /// alpha supply.
    /// @dev Warning: irreversible. The amount is silently capped at the caller's stake; 0 does nothing. Fails on the
    /// root subnet (netuid 0).
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param amountAlphaRao Alpha to burn, in alpha-rao.
    /// @param netuid The subnet.
    function burnAlpha(bytes32 hotkey, uint256 amountAlphaRao, uint256 netuid) external payable;

    /* PROXY */

    /// @notice Lets `delegate` act for the caller with the Staking proxy type and no delay.
    /// @dev Warning: the delegate can then stake, unstake and move the caller's stake (a contract's stake when a
    /// contract calls this). The proxy deposit is reserved from the caller's balance.
    /// @param delegate The delegate's 32-byte account id.
    function addProxy(bytes32 delegate) external payable;

    /// @notice Removes the Staking proxy `addProxy` gave to `delegate`.
    /// @param delegate The delegate's 32-byte account id.
    function removeProxy(bytes32 delegate) external payable;

    /* ALLOWANCE */

    /// @notice Sets to `amountAlphaRao` how much of the caller's stake in subnet `netuid` `spender` may pull with
    /// `transferStakeFrom`; 0 removes the approval.
    /// @dev Warning: the allowance is per (`spender`, `netuid`), not per hotkey: the spender chooses the hotkey.
    /// @dev Warning: it is keyed by the subnet's registration counter: when `netuid` is deregistered and registered
    /// again, every allowance on it reads 0.
    /// @dev Warning: the approver is the immediate caller (`msg.sender` as seen by the precompile) and `spender` is an
    /// EVM address; the stake moved later is that of the approver's mapped account.
    /// @param spender The EVM address allowed to call `transferStakeFrom`.
    /// @param netuid The origin subnet the allowance applies to.
    /// @param amountAlphaRao The allowance, in alpha-rao; the full 256 bits are stored.
    function approve(address spender, uint256 netuid, uint256 amountAlphaRao) external;

    /// @notice How much of `source`'s stake in subnet `netuid` `spender` may still pull.
    /// @param source The approving EVM address.
    /// @param spender The approved EVM address.
    /// @param netuid The origin subnet.
    /// @return amountAlphaRao The allowance, in alpha-rao (0 after the subnet was re-registered).
    function allowance(address source, address spender, uint256 netuid) external view returns (uint256 amountAlphaRao);

    /// @notice Adds `amountAlphaRao` to the caller's allowance for (`spender`, `netuid`), saturating at 2^256 − 1.
    /// @param spender The approved EVM address.
    /// @param netuid The origin subnet.
    /// @param amountAlphaRao The increase, in alpha-rao.
    function increaseAllowance(address spender, uint256 netuid, uint256 amountAlphaRao) external;

    /// @notice Subtracts `amountAlphaRao` from the caller's allowance for (`spender`, `netuid`), stopping at 0 (it
    /// never fails for going below 0).
    /// @param spender The approved EVM address.
    /// @param netuid The origin subnet.
    /// @param amountAlphaRao The decrease, in alpha-rao.
    function decreaseAllowance(address spender, uint256 netuid, uint256 amountAlphaRao) external;

    /// @notice Moves `amountAlphaRao` of `source`'s stake on (`hotkey`, `originNetuid`) to `destination`'s mapped
    /// account on the same hotkey in `destinationNetuid`, spending the allowance `source` gave the caller.
    /// @dev The allowance (`source`, caller, `originNetuid`) is reduced by the full `amountAlphaRao` before the
    /// transfer; more than the allowance reverts with "trying to spend more than allowed" (a real revert, with
    /// data). When the transfer itself fails, the whole call fails and the allowance is left unchanged.
    /// @dev Warning: needs the subnets' transfer toggle, like `transferStake`. The amount is not capped.
    /// @dev Warning: `destination` is an EVM address and receives as its mapped account; this cannot pay a native
    /// Bittensor coldkey. The stake stays on `hotkey`; this is how a contract learns who moved stake to it.
    /// @param source The EVM address whose stake moves (the approver).
    /// @param destination The EVM address whose mapped account receives the stake (often the calling contract).
    /// @param hotkey The hotkey the stake stays on.
    /// @param originNetuid The subnet the stake leaves (the allowance's subnet).
    /// @param destinationNetuid The subnet the stake arrives in.
    /// @param amountAlphaRao Alpha to move, in alpha-rao of the origin subnet.
    function transferStakeFrom(
        address source,
        address destination,
        bytes32 hotkey,
        uint256 originNetuid,
        uint256 destinationNetuid,
        uint256 amountAlphaRao
    ) external;

    /* VIEWS */

    /// @notice `coldkey`'s stake on (`hotkey`, `netuid`).
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param coldkey The coldkey's 32-byte account id (a contract's: `IAddressMappingPrecompile.addressMapping`).
    /// @param netuid The subnet.
    /// @return stakeAlphaRao The stake, in alpha-rao (on the root subnet, netuid 0, alpha is TAO: rao).
    function getStake(bytes32 hotkey, bytes32 coldkey, uint256 netuid) external view returns (uint256 stakeAlphaRao);

    /// @notice All alpha staked on `hotkey` in subnet `netuid`, by every coldkey.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param netuid The subnet.
    /// @return totalAlphaRao The total, in alpha-rao.
    function getTotalAlphaStaked(bytes32 hotkey, uint256 netuid) external view returns (uint256 totalAlphaRao);

    /// @notice What all of `coldkey`'s stake would sell for, over every hotkey and subnet.
    /// @dev Each position is valued by a simulated sale (slippage included) with the swap fee added back.
    /// @param coldkey The coldkey's 32-byte account id.
    /// @return totalRao The value, in rao.
    function getTotalColdkeyStake(bytes32 coldkey) external view returns (uint256 totalRao);

    /// @notice What `coldkey`'s stake in subnet `netuid` would sell for, over every hotkey.
    /// @dev Valued like `getTotalColdkeyStake`.
    /// @param coldkey The coldkey's 32-byte account id.
    /// @param netuid The subnet.
    /// @return totalRao The value, in rao.
    function getTotalColdkeyStakeOnSubnet(bytes32 coldkey, uint256 netuid) external view returns (uint256 totalRao);

    /// @notice The TAO value of all alpha staked on `hotkey`, over every subnet, at each subnet's spot price.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @return totalRao The value, in rao.
    function getTotalHotkeyStake(bytes32 hotkey) external view returns (uint256 totalRao);

    /// @notice The coldkeys that stake on `hotkey` in subnet `netuid`.
    /// @dev Warning: despite the name, the result lists coldkeys (stakers), not validators. The call reads one entry
    /// per (coldkey, subnet) position of the hotkey, so its gas grows with the hotkey's stakers on every subnet.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param netuid The subnet.
    /// @return coldkeys The stakers' 32-byte account ids.
    function getAlphaStakedValidators(bytes32 hotkey, uint256 netuid) external view returns (bytes32[] memory coldkeys);

    /// @notice The smallest stake a nominator (a coldkey that does not own the hotkey) may keep after unstaking.
    /// @return minStakeRao The minimum, in rao (DefaultMinStake × NominatorMinRequiredStake / 1e6).
    function getNominatorMinRequiredStake() external view returns (uint256 minStakeRao);
}
