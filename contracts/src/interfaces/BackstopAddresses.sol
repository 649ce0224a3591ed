// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Addresses of Backstop's precompiles and of its assets' ERC-20 precompiles
/// @notice A precompile's address is its 16-bit index in bytes 16-17 (pallet-revive's
///         `AddressMatcher::Fixed`). An asset's ERC-20 is pallet-assets-precompiles' `ERC20`
///         with the asset id in bytes 0-3 and the prefix 0x0120 in bytes 16-17 (the Asset Hub
///         convention); it speaks ERC-20 with `name`, `symbol` and `decimals`.
library BackstopAddresses {
    /// @notice `ILending`: pallet-lending's markets.
    address internal constant LENDING = address(0x000000000000000000000000000000000b010000);
    /// @notice `IBackstop`: the backstop pool, the franchise, the score and the reward jar.
    address internal constant BACKSTOP = address(0x000000000000000000000000000000000B020000);
    /// @notice `IAvatar`: avatar accounts and the liquidation of avatar positions.
    address internal constant AVATAR = address(0x000000000000000000000000000000000B030000);
    /// @notice ERC-20 of USD (asset 1, 18 decimals), the stable asset.
    address internal constant USD = address(0x0000000100000000000000000000000001200000);
    /// @notice ERC-20 of ETH (asset 2, 18 decimals).
    address internal constant ETH = address(0x0000000200000000000000000000000001200000);
    /// @notice ERC-20 of BTC (asset 3, 8 decimals).
    address internal constant BTC = address(0x0000000300000000000000000000000001200000);
}
