// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ERC-20 of a pallet-assets asset (pallet-assets-precompiles' `ERC20`)
/// @notice USD, ETH and BTC at `BackstopAddresses.USD`, `.ETH`, `.BTC`. The balance is the
///         account's pallet-assets balance: what the Backstop precompiles move. `approve`
///         reserves a small native deposit from the owner (pallet-assets' approval deposit).
/// @dev Amounts in the asset's smallest units (`decimals()`). A failed call reverts.
interface IERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
}
