// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Avatar accounts (pallet-avatar) for EVM contracts
/// @notice The precompile at `0x000000000000000000000000000000000b030000`
///         (`BackstopAddresses.AVATAR`). A user borrows and lends through a per-user avatar
///         account (created on first use); the lending market sees the avatar. Franchise
///         members top avatar positions up from their committed liquidity and have the priority
///         to liquidate them; after the members' priority the backstop pool may
///         (`poolLiquidate`, any keeper), and after the pool's turn anyone (`openLiquidate`).
///         Every state-changing function dispatches the pallet's own extrinsic with the caller
///         (the contract's or EOA's account through pallet-revive's address mapping) as the
///         signed origin: the same checks and benchmarked weight, never on behalf of another.
///         The caller's avatar is the caller's own: a contract that calls `supply` opens an
///         avatar for the contract, not for the contract's caller.
/// @dev Units: as `ILending` (market ids; loan amounts in the loan asset's smallest units,
///      collateral amounts in the collateral's). `user` is the avatar's owner, not the avatar
///      account. Amounts above 2^128 - 1 revert with `"Precompile.AmountTooLarge"`.
///      Errors: a failed call reverts with `Error(string)` whose reason is `"<Pallet>.<Error>"`
///      (for example `"Avatar.PositionHealthy"`, or the market's `"Lending.InsufficientCollateral"`),
///      and every change of the call is undone. Every function may raise `Avatar.ZeroAmount`,
///      `Avatar.UnknownMarket`, `Avatar.PriceUnavailable`, `Avatar.PriceStale`,
///      `Avatar.Overflow`. Calls in a static context to a state-changing function and
///      `delegatecall`s fail.
interface IAvatar {
    /// @notice `caller` (a caller of this precompile) liquidated `amount` (loan smallest units)
    ///         of `user`'s `debtBackstop` in `market`; `route` 0: as the assigned member
    ///         (`liquidate`), 1: by the pool (`poolLiquidate`), 2: as anyone (`openLiquidate`).
    event Liquidated(
        address indexed caller, uint32 indexed market, address indexed user, uint256 amount, uint8 route
    );

    /// @notice Supply `assets` of the loan asset through the caller's avatar.
    /// @dev Errors: `Avatar.InsufficientBalance`, `Avatar.TooManyMarkets`, `Avatar.AvatarCollision`.
    function supply(uint32 market, uint256 assets) external;

    /// @notice Pledge `amount` of collateral through the caller's avatar.
    /// @dev Errors: `Avatar.InsufficientBalance`, `Avatar.TooManyMarkets`.
    function supplyCollateral(uint32 market, uint256 amount) external;

    /// @notice Borrow `assets` through the caller's avatar (any cushion is returned first).
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.MarginExceeded`, `Lending.InsufficientCollateral`,
    ///      `Lending.InsufficientLiquidity`.
    function borrow(uint32 market, uint256 assets) external;

    /// @notice Repay `assets` of the avatar's `debtBackstop` (the cushion's providers first,
    ///         then the market debt).
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.NoDebt`, `Avatar.InsufficientBalance`.
    function repay(uint32 market, uint256 assets) external;

    /// @notice Repay the whole `debtBackstop` of the caller's position, interest to this block.
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.NoDebt`, `Avatar.InsufficientBalance`.
    function repayAll(uint32 market) external;

    /// @notice Withdraw `assets` of the avatar's supply (any cushion is returned first).
    /// @dev Errors: `Avatar.NoAvatar`, `Lending.SupplyExceeded`, `Lending.InsufficientLiquidity`.
    function withdraw(uint32 market, uint256 assets) external;

    /// @notice Withdraw `amount` of the avatar's collateral (any cushion is returned first).
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.MarginExceeded`, `Lending.CollateralExceeded`,
    ///      `Lending.InsufficientCollateral`.
    function withdrawCollateral(uint32 market, uint256 amount) external;

    /// @notice Close the caller's avatar: no debt or cushion may remain; what is left of its
    ///         supply and collateral comes back to the caller.
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.HasDebt`, `Avatar.HasCushion`, `Avatar.AvatarInUse`.
    function leave() external;

    /// @notice As the member assigned to `user`'s position, top it up with `amount` (stable
    ///         smallest units) of the caller's committed liquidity (inside the top-up band).
    /// @dev Errors: `Avatar.NotAssignedMember`, `Avatar.NotInTopupBand`, `Avatar.NotCushionMode`,
    ///      `Avatar.TopupTooSmall`, `Avatar.TopupTooLarge`, `Avatar.TooManyProviders`,
    ///      `Avatar.InsufficientCommitment`, `Avatar.NoAvatar`, `Avatar.NoDebt`.
    function topUp(uint32 market, address user, uint256 amount) external;

    /// @notice As the assigned member, liquidate `amount` (loan smallest units) of `user`'s
    ///         `debtBackstop`, paid from the caller's committed liquidity, for collateral at the
    ///         market's liquidation incentive.
    /// @dev Errors: `Avatar.NotAssignedMember`, `Avatar.PositionHealthy`,
    ///      `Avatar.AmountExceedsDebt`, `Avatar.ExceedsSeatPart`, `Avatar.InsufficientCommitment`,
    ///      `Avatar.DustAmount`, `Avatar.NoAvatar`, `Avatar.NoPosition`.
    function liquidate(uint32 market, address user, uint256 amount) external;

    /// @notice Have the backstop pool liquidate `amount` (loan smallest units) of `user`'s
    ///         `debtBackstop` once the members' priority is over; the caller is the keeper and
    ///         earns the pool's caller fee of the gain.
    /// @dev Errors: `Avatar.PriorityNotPassed`, `Avatar.PositionHealthy`,
    ///      `Avatar.AmountExceedsDebt`, `Avatar.LiquidationAtALoss`, `Avatar.DustAmount`,
    ///      `Backstop.InsufficientStable`, `Avatar.NoAvatar`, `Avatar.NoPosition`.
    function poolLiquidate(uint32 market, address user, uint256 amount) external;

    /// @notice Have the backstop pool liquidate the whole `debtBackstop` of each of `users` in
    ///         `market` whose members' priority is over; a user whose position cannot be
    ///         liquidated now is skipped, never failing the batch. The caller is the keeper.
    /// @param users At most the runtime's `MaxLiquidationBatch` (64 on the dev chain) users;
    ///        more revert with `"Precompile.BatchTooLarge"`.
    function poolLiquidateMany(uint32 market, address[] calldata users) external;

    /// @notice After the members' priority and the pool's turn, liquidate `amount` (loan
    ///         smallest units) of `user`'s `debtBackstop` paying from the caller's own stable,
    ///         for collateral at the market's incentive (only while the market itself sees the
    ///         position unhealthy).
    /// @dev Errors: `Avatar.PoolTurnNotPassed`, `Avatar.PriorityNotPassed`,
    ///      `Avatar.MarketSeesHealthy`, `Avatar.AmountExceedsDebt`, `Avatar.InsufficientBalance`,
    ///      `Avatar.DustAmount`, `Avatar.NoAvatar`, `Avatar.NoPosition`.
    function openLiquidate(uint32 market, address user, uint256 amount) external;

    /// @notice Sync `user`'s position (anyone): report changes made outside the avatar and
    ///         start or end its liquidation episode.
    /// @dev Errors: `Avatar.NoAvatar`, `Avatar.NoPosition`.
    function sync(uint32 market, address user) external;

    /// @notice `user`'s avatar account (whether or not it exists yet), as an address.
    function avatarOf(address user) external view returns (address avatar);

    /// @notice `user`'s `debtBackstop` in `market`: market debt plus the members' cushion, loan
    ///         smallest units (zero without an avatar).
    function debtBackstopOf(uint32 market, address user) external view returns (uint256);

    /// @notice Whether the backstop pool may liquidate `user`'s position now (the members'
    ///         priority is over).
    function poolMayLiquidate(uint32 market, address user) external view returns (bool);

    /// @notice Who may act on `user`'s position in `market` now, and the window's blocks.
    /// @return member The assigned franchise member (the zero address when it is the pool).
    /// @return pool True when the pool is the member of last resort for this window.
    /// @return window The window's index in the franchise epoch.
    /// @return windowStart The window's first block.
    /// @return windowEnd The first block after the window.
    /// @return priorityEnd The first block at which the member's priority is over.
    /// @return priorityPassed Whether the current block is at or after `priorityEnd`.
    function assigned(uint32 market, address user)
        external
        view
        returns (
            address member,
            bool pool,
            uint32 window,
            uint64 windowStart,
            uint64 windowEnd,
            uint64 priorityEnd,
            bool priorityPassed
        );
}
