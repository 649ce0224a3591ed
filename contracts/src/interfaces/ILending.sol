// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Backstop lending markets (pallet-lending) for EVM contracts
/// @notice The precompile at `0x000000000000000000000000000000000b010000`
///         (`BackstopAddresses.LENDING`). Isolated markets in the style of Morpho Blue: each
///         market lends one loan asset (the stable USD, asset 1) against one collateral asset.
///         Every state-changing function dispatches the pallet's own extrinsic with the caller
///         (this contract's or EOA's account through pallet-revive's address mapping) as the
///         signed origin: the same checks, the same benchmarked weight, and nothing done on
///         behalf of anyone else. Tokens move as pallet-assets balances, which the caller holds
///         and approves nothing for: the ERC-20 precompile of an asset shows the same balance.
/// @dev Units: `market` is a market id (dev chain: 0 = USD/ETH, 1 = USD/BTC). Loan amounts
///      (`assets`) are in the loan asset's smallest unit (USD: 18 decimals); collateral amounts
///      in the collateral asset's smallest unit (ETH: 18 decimals, BTC: 8). Amounts above
///      2^128 - 1 revert with `"Precompile.AmountTooLarge"`.
///      Errors: a failed call reverts with `Error(string)` (catch it with
///      `catch Error(string memory reason)`) whose reason is `"<Pallet>.<Error>"`, for example
///      `"Lending.InsufficientCollateral"`; every change of the call is undone. The errors a
///      function can raise are listed with it; every function may also raise
///      `"Lending.UnknownMarket"`, `"Lending.ZeroAmount"` and `"Lending.Overflow"`. Calls in a
///      static context (`staticcall`) to a state-changing function and `delegatecall`s fail.
interface ILending {
    /// @notice `liquidator` (a caller of this precompile) seized `seizedCollateral` of
    ///         `borrower`'s position in `market`.
    event Liquidated(
        address indexed liquidator, uint32 indexed market, address indexed borrower, uint256 seizedCollateral
    );

    /// @notice Supply `assets` of the loan asset for supply shares (earns interest).
    /// @param market Market id.
    /// @param assets Loan asset, smallest units.
    /// @dev Errors: `Lending.ZeroShares` (dust), `Lending.InsufficientBalance`.
    function supply(uint32 market, uint256 assets) external;

    /// @notice Withdraw `assets` of the loan asset from the caller's supply.
    /// @dev Errors: `Lending.SupplyExceeded`, `Lending.InsufficientLiquidity`.
    function withdraw(uint32 market, uint256 assets) external;

    /// @notice Pledge `amount` of the market's collateral asset.
    /// @dev Errors: `Lending.InsufficientBalance`.
    function supplyCollateral(uint32 market, uint256 amount) external;

    /// @notice Withdraw `amount` of collateral; the position must stay healthy.
    /// @dev Errors: `Lending.CollateralExceeded`, `Lending.InsufficientCollateral`,
    ///      `Lending.PriceUnavailable`, `Lending.PriceStale`.
    function withdrawCollateral(uint32 market, uint256 amount) external;

    /// @notice Borrow `assets` of the loan asset against the caller's collateral; the position
    ///         must stay healthy (`debt <= collateral * price * lltv`).
    /// @dev Errors: `Lending.InsufficientCollateral`, `Lending.InsufficientLiquidity`,
    ///      `Lending.PriceUnavailable`, `Lending.PriceStale`.
    function borrow(uint32 market, uint256 assets) external;

    /// @notice Repay up to `assets` of `onBehalfOf`'s debt, paid by the caller (capped at the
    ///         whole debt: `type(uint128).max` repays everything).
    /// @param onBehalfOf The borrower whose debt is repaid (anyone may repay for anyone).
    /// @dev Errors: `Lending.NothingToRepay`, `Lending.InsufficientBalance`.
    function repay(uint32 market, address onBehalfOf, uint256 assets) external;

    /// @notice Seize `seizedCollateral` of `borrower`'s unhealthy position, paying its value at
    ///         the oracle price divided by the market's liquidation incentive (LIF) in the loan
    ///         asset. Avatar positions are reserved for the backstop (use `IAvatar`).
    /// @param seizedCollateral Collateral to seize, collateral smallest units.
    /// @dev Errors: `Lending.PositionHealthy`, `Lending.LiquidationNotPermitted`,
    ///      `Lending.SeizeExceedsCollateral`, `Lending.RepayExceedsDebt`,
    ///      `Lending.InsufficientBalance`, `Lending.PriceUnavailable`, `Lending.PriceStale`.
    function liquidate(uint32 market, address borrower, uint256 seizedCollateral) external;

    /// @notice `who`'s position in `market`, interest accrued to now.
    /// @return supplyShares Supply shares held.
    /// @return supplyAssets What they are worth, loan smallest units (rounded down).
    /// @return borrowShares Borrow shares owed.
    /// @return borrowAssets The debt, loan smallest units (rounded up).
    /// @return collateral Collateral pledged, collateral smallest units.
    function position(uint32 market, address who)
        external
        view
        returns (
            uint256 supplyShares,
            uint256 supplyAssets,
            uint256 borrowShares,
            uint256 borrowAssets,
            uint256 collateral
        );

    /// @notice Health of `who`'s position at the current oracle price.
    /// @return debt The debt, loan smallest units (rounded up).
    /// @return maxBorrow `collateral * price * lltv`, loan smallest units (rounded down).
    /// @return liquidatable Whether the market lets anyone liquidate it now.
    /// @dev Errors: `Lending.PriceUnavailable`, `Lending.PriceStale`.
    function health(uint32 market, address who)
        external
        view
        returns (uint256 debt, uint256 maxBorrow, bool liquidatable);

    /// @notice What a liquidation seizing `seizedCollateral` would repay now (exactly what
    ///         `liquidate` charges in the same block), loan smallest units.
    /// @dev Errors: `Lending.PriceUnavailable`, `Lending.PriceStale`.
    function liquidationRepayment(uint32 market, uint256 seizedCollateral)
        external
        view
        returns (uint256 repayment);
}
