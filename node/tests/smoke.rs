//! Node smoke tests: the built `backstop-node` starts a dev chain on a temporary base path
//! and a free port, produces blocks, includes a signed balance transfer submitted over RPC,
//! stops cleanly on SIGINT, and on restart with the same base path continues from the same
//! best block; and a user opens and uses an avatar with plain signed extrinsics.

use std::time::{Duration, Instant};

use backstop_runtime::{AccountId, Balance, Runtime, RuntimeCall, UncheckedExtrinsic};
use codec::Decode;
use serde_json::json;
use sp_keyring::Sr25519Keyring;
use sp_runtime::MultiAddress;

mod common;
use common::*;

#[test]
fn dev_node_produces_blocks_includes_a_transfer_and_restarts_on_its_base_path() {
    let base = std::env::temp_dir().join(format!("backstop-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);

    // 1. A node sealing on a 1 s timer (and instantly on transactions).
    let node = Node::dev(&base, &["--block-time", "1000"]);
    node.wait_for(Duration::from_secs(60), "3 blocks", || {
        (node.best().0 >= 3).then_some(())
    });

    // 2. Alice sends Bob 1 UNIT over RPC; the transfer is included in a block.
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let bob = Sr25519Keyring::Bob.to_account_id();
    let (before_number, before_hash) = node.best();
    let bob_before = node.free_balance(&bob, before_hash);
    let amount = backstop_runtime::UNIT;
    let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
        dest: MultiAddress::Id(bob.clone()),
        value: amount,
    });
    let xt = signed(Sr25519Keyring::Alice, transfer, 0, genesis);
    let included_in = node.submit_and_wait(&xt, before_number);
    assert_eq!(node.free_balance(&bob, included_in), bob_before + amount);

    // 3. SIGINT stops it cleanly.
    let (stopped_at, stopped_hash) = node.best();
    node.stop();

    // 4. Restarted on the same base path (instant seal only, so no new empty blocks), it has
    //    the same best block and the transfer.
    let node = Node::dev(&base, &[]);
    assert_eq!(node.best(), (stopped_at, stopped_hash));
    assert_eq!(node.free_balance(&bob, stopped_hash), bob_before + amount);
    node.stop();

    let _ = std::fs::remove_dir_all(&base);
}

/// Crash recovery: a stream of transfers, SIGKILL while the node imports them, a restart on
/// the same base path. The chain continues from a consistent state: every block seen before
/// the kill is still there with the same hash, the state agrees with the transfers included
/// (Bob received exactly one transfer per nonce Alice used), and blocks follow. A wallet
/// resubmits what was not yet included: the restarted node accepts each transfer or answers
/// that it already holds it, and every one of them is included.
#[test]
fn a_node_killed_mid_stream_restarts_consistent_and_continues() {
    let base = std::env::temp_dir().join(format!("backstop-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::dev(&base, &["--block-time", "500"]);
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let (alice, bob) = (
        Sr25519Keyring::Alice.to_account_id(),
        Sr25519Keyring::Bob.to_account_id(),
    );
    let (_, start_hash) = node.best();
    let bob_before = node.free_balance(&bob, start_hash);
    let amount = backstop_runtime::UNIT;
    let transfer = |nonce: u32| {
        let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
            dest: MultiAddress::Id(bob.clone()),
            value: amount,
        });
        hex(&signed(Sr25519Keyring::Alice, call, nonce, genesis))
    };

    // A stream of 40 transfers, submitted without waiting; kill once some are in blocks.
    for nonce in 0..40 {
        node.rpc("author_submitExtrinsic", json!([transfer(nonce)]));
    }
    // (Missing ones are resubmitted every few seconds, as a wallet would: the fork-aware pool
    // sometimes drops one under load, and the rest then wait behind the nonce gap.)
    let mut last_resubmit = Instant::now();
    node.wait_for(Duration::from_secs(90), "10 included transfers", || {
        let n = node.account(&alice, node.best().1).nonce;
        if n < 10 && last_resubmit.elapsed() > Duration::from_secs(5) {
            for nonce in n..40 {
                let _ = node.try_rpc("author_submitExtrinsic", json!([transfer(nonce)]));
            }
            last_resubmit = Instant::now();
        }
        (n >= 10).then_some(())
    });
    let (seen_number, seen_hash) = node.best();
    node.kill();

    // Restarted: the block seen before the kill is there, unchanged, and the best block's
    // state agrees with the transfers it includes.
    let node = Node::dev(&base, &["--block-time", "500"]);
    let (best, best_hash) = node.best();
    assert!(
        best >= seen_number,
        "best {best} < {seen_number} seen before the kill"
    );
    let at_seen = hash_of(&node.rpc("chain_getBlockHash", json!([seen_number])));
    assert_eq!(at_seen, seen_hash);
    let used = node.account(&alice, best_hash).nonce;
    assert!(used >= 10);
    assert_eq!(
        node.free_balance(&bob, best_hash),
        bob_before + amount * Balance::from(used)
    );
    // The chain goes on, and the transfers lost with the pool are included when resubmitted.
    node.wait_for(Duration::from_secs(60), "a block after the restart", || {
        (node.best().0 > best).then_some(())
    });
    for nonce in used..40 {
        match node.try_rpc("author_submitExtrinsic", json!([transfer(nonce)])) {
            Ok(_) => {}
            // Already back in the restarted node's pool: nothing to do.
            Err(e) if e.contains("Already Imported") => {}
            Err(e) => panic!("resubmitting nonce {nonce}: {e}"),
        }
    }
    // Whatever is still missing is resubmitted every few seconds, as above.
    let mut last_resubmit = Instant::now();
    node.wait_for(Duration::from_secs(90), "every transfer included", || {
        let n = node.account(&alice, node.best().1).nonce;
        if n < 40 && last_resubmit.elapsed() > Duration::from_secs(5) {
            for nonce in n..40 {
                let _ = node.try_rpc("author_submitExtrinsic", json!([transfer(nonce)]));
            }
            last_resubmit = Instant::now();
        }
        (n == 40).then_some(())
    });
    let (_, end) = node.best();
    assert_eq!(node.free_balance(&bob, end), bob_before + 40 * amount);
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_user_opens_and_uses_an_avatar_with_plain_extrinsics() {
    use backstop_runtime::genesis_config_presets::{whole, ETH_USD_MARKET};
    let base = std::env::temp_dir().join(format!("backstop-avatar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::dev(&base, &[]);
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let usd = |n: u128| n * whole(18);
    let avatar_call = |call| RuntimeCall::Avatar(call);

    // Bob lends 100 000 USD in market 0; Eve pledges 1 ETH and borrows 1 000 USD through her
    // avatar, created by her first call; then she repays 400.
    let (start, _) = node.best();
    let lend = RuntimeCall::Lending(pallet_lending::Call::supply {
        market: ETH_USD_MARKET,
        assets: usd(100_000),
    });
    node.submit_and_wait(&signed(Sr25519Keyring::Bob, lend, 0, genesis), start);
    let eve = Sr25519Keyring::Eve;
    let calls = [
        pallet_avatar::Call::supply_collateral {
            market: ETH_USD_MARKET,
            amount: whole(18),
        },
        pallet_avatar::Call::borrow {
            market: ETH_USD_MARKET,
            assets: usd(1_000),
        },
        pallet_avatar::Call::repay {
            market: ETH_USD_MARKET,
            assets: usd(400),
        },
    ];
    let mut blocks = Vec::new();
    for (nonce, call) in calls.into_iter().enumerate() {
        let (now, _) = node.best();
        let xt = signed(eve, avatar_call(call), nonce as u32, genesis);
        blocks.push(node.submit_and_wait(&xt, now));
    }

    // The avatar exists, maps back to Eve, and is the account the market sees.
    let at = blocks[2];
    let avatar: AccountId = node
        .storage(
            pallet_avatar::AvatarOf::<Runtime>::hashed_key_for(eve.to_account_id()),
            at,
        )
        .expect("Eve has an avatar");
    let user: AccountId = node
        .storage(
            pallet_avatar::UserOf::<Runtime>::hashed_key_for(&avatar),
            at,
        )
        .expect("the avatar maps back");
    assert_eq!(user, eve.to_account_id());
    let position = |at| -> pallet_lending::Position {
        node.storage(
            pallet_lending::Positions::<Runtime>::hashed_key_for(ETH_USD_MARKET, &avatar),
            at,
        )
        .expect("the avatar has a market position")
    };
    let (borrowed, repaid) = (position(blocks[1]), position(blocks[2]));
    assert_eq!(borrowed.collateral, whole(18));
    assert!(borrowed.borrow_shares > 0);
    // About 60 % of the debt shares are left after repaying 400 of 1 000 (a few blocks of
    // interest aside).
    let left = repaid.borrow_shares * 1_000 / borrowed.borrow_shares;
    assert!((600..=601).contains(&left), "{left}");

    // Eve closes out as the README says: `repay_all` settles the debt to the last unit of
    // interest (whatever blocks passed since she read it), then `leave` closes the avatar.
    let close = [
        pallet_avatar::Call::repay_all {
            market: ETH_USD_MARKET,
        },
        pallet_avatar::Call::leave {},
    ];
    for (nonce, call) in (3u32..).zip(close) {
        let (now, _) = node.best();
        let xt = signed(eve, avatar_call(call), nonce, genesis);
        blocks.push(node.submit_and_wait(&xt, now));
    }
    let at = *blocks.last().expect("the leave block");
    assert!(node
        .storage::<AccountId>(
            pallet_avatar::AvatarOf::<Runtime>::hashed_key_for(eve.to_account_id()),
            at,
        )
        .is_none());
    let closed: Option<pallet_lending::Position> = node.storage(
        pallet_lending::Positions::<Runtime>::hashed_key_for(ETH_USD_MARKET, &avatar),
        at,
    );
    assert!(closed.is_none_or(|p| p.borrow_shares == 0 && p.collateral == 0));
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}

/// No keeper: on the running dev node, the block that includes a crash price feed liquidates
/// the position it makes unhealthy in its own idle time (the pool's same-block sweep), with no
/// other transaction sent.
#[test]
fn the_node_liquidates_a_crash_in_the_block_that_feeds_it() {
    use backstop_runtime::genesis_config_presets::{whole, ETH, ETH_USD_MARKET};
    let base = std::env::temp_dir().join(format!("backstop-sweep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::dev(&base, &[]);
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let usd = |n: u128| n * whole(18);

    // Bob lends, Charlie borrows 20 000 USD against 10 ETH (3 000 USD each), Dave backs the
    // pool: the README's walkthrough, steps 1 to 3.
    let steps = [
        (
            Sr25519Keyring::Bob,
            RuntimeCall::Lending(pallet_lending::Call::supply {
                market: ETH_USD_MARKET,
                assets: usd(100_000),
            }),
            0,
        ),
        (
            Sr25519Keyring::Charlie,
            RuntimeCall::Lending(pallet_lending::Call::supply_collateral {
                market: ETH_USD_MARKET,
                amount: 10 * whole(18),
            }),
            0,
        ),
        (
            Sr25519Keyring::Charlie,
            RuntimeCall::Lending(pallet_lending::Call::borrow {
                market: ETH_USD_MARKET,
                assets: usd(20_000),
            }),
            1,
        ),
        (
            Sr25519Keyring::Dave,
            RuntimeCall::Backstop(pallet_backstop::Call::deposit {
                amount: usd(50_000),
            }),
            0,
        ),
    ];
    for (who, call, nonce) in steps {
        let (now, _) = node.best();
        node.submit_and_wait(&signed(who, call, nonce, genesis), now);
    }
    let charlie = Sr25519Keyring::Charlie.to_account_id();
    let position = |at| -> Option<pallet_lending::Position> {
        node.storage(
            pallet_lending::Positions::<Runtime>::hashed_key_for(ETH_USD_MARKET, &charlie),
            at,
        )
    };
    let (_, before) = node.best();
    assert!(position(before).expect("Charlie's position").borrow_shares > 0);

    // Alice feeds the crash (step 4); the same block's idle time liquidates Charlie in full.
    let feed = RuntimeCall::Oracle(pallet_oracle::Call::feed_values {
        values: sp_runtime::BoundedVec::truncate_from(vec![(
            ETH,
            sp_runtime::FixedU128::from_u32(2_500),
        )]),
    });
    let (now, _) = node.best();
    let at = node.submit_and_wait(&signed(Sr25519Keyring::Alice, feed, 0, genesis), now);
    let after = position(at).expect("the collateral left");
    assert_eq!(after.borrow_shares, 0, "liquidated in the feed's block");
    assert!(after.collateral > 0 && after.collateral < 10 * whole(18));
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}

/// No keeper, beyond the sweep's cap: with the sweep capped at one position per block, a crash
/// of three positions is liquidated by the feed's block (one) and by the keeper worker's
/// authorized transaction in the next block (the rest); then the block's idle time sells the
/// pool's ETH back to USD on the DEX. No transaction but the price feed is sent after the crash.
#[test]
fn the_keeper_worker_liquidates_what_the_sweep_left_and_the_pool_rebalances() {
    use backstop_runtime::genesis_config_presets::{whole, ETH, ETH_USD_MARKET};
    let base = std::env::temp_dir().join(format!("backstop-keeper-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::dev(&base, &[]);
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let usd = |n: u128| n * whole(18);
    let borrowers = [
        Sr25519Keyring::Charlie,
        Sr25519Keyring::Eve,
        Sr25519Keyring::Ferdie,
    ];
    let sudo = |call| {
        RuntimeCall::Sudo(pallet_sudo::Call::sudo {
            call: Box::new(call),
        })
    };
    let mut steps = vec![
        (
            Sr25519Keyring::Alice,
            sudo(RuntimeCall::Backstop(
                pallet_backstop::Call::set_sweep_cap { cap: 1 },
            )),
            0,
        ),
        (
            Sr25519Keyring::Bob,
            RuntimeCall::Lending(pallet_lending::Call::supply {
                market: ETH_USD_MARKET,
                assets: usd(200_000),
            }),
            0,
        ),
        (
            Sr25519Keyring::Dave,
            RuntimeCall::Backstop(pallet_backstop::Call::deposit {
                amount: usd(100_000),
            }),
            0,
        ),
    ];
    for who in borrowers {
        steps.push((
            who,
            RuntimeCall::Lending(pallet_lending::Call::supply_collateral {
                market: ETH_USD_MARKET,
                amount: 10 * whole(18),
            }),
            0,
        ));
        steps.push((
            who,
            RuntimeCall::Lending(pallet_lending::Call::borrow {
                market: ETH_USD_MARKET,
                assets: usd(20_000),
            }),
            1,
        ));
    }
    for (who, call, nonce) in steps {
        let (now, _) = node.best();
        node.submit_and_wait(&signed(who, call, nonce, genesis), now);
    }
    let debt_left = |at| -> usize {
        borrowers
            .iter()
            .filter(|who| {
                node.storage::<pallet_lending::Position>(
                    pallet_lending::Positions::<Runtime>::hashed_key_for(
                        ETH_USD_MARKET,
                        who.to_account_id(),
                    ),
                    at,
                )
                .is_some_and(|p| p.borrow_shares > 0)
            })
            .count()
    };
    let (_, before) = node.best();
    assert_eq!(debt_left(before), 3);

    // The crash: the feed's block sweeps one position (the cap).
    let feed = RuntimeCall::Oracle(pallet_oracle::Call::feed_values {
        values: sp_runtime::BoundedVec::truncate_from(vec![(
            ETH,
            sp_runtime::FixedU128::from_u32(2_500),
        )]),
    });
    let (now, _) = node.best();
    let at = node.submit_and_wait(&signed(Sr25519Keyring::Alice, feed, 1, genesis), now);
    assert_eq!(debt_left(at), 2, "the feed's block swept one");

    // The worker's transaction makes the next block, which liquidates the other two.
    let done = node.wait_for(Duration::from_secs(60), "the keeper's block", || {
        let (_, best) = node.best();
        (debt_left(best) == 0).then_some(best)
    });
    let block = node.rpc("chain_getBlock", json!([format!("{done:?}")]));
    let xts = block["block"]["extrinsics"].as_array().expect("extrinsics");
    let keeper = xts.iter().any(|x| {
        let bytes = unhex(x.as_str().expect("hex"));
        UncheckedExtrinsic::decode(&mut &bytes[..]).is_ok_and(|xt| {
            matches!(
                xt.0.function,
                RuntimeCall::Backstop(pallet_backstop::Call::keeper_sweep {
                    market: ETH_USD_MARKET
                })
            )
        })
    });
    assert!(keeper, "the block holds the worker's keeper_sweep");

    // The pool's ETH (more than half its value after the crash) went back to USD on the DEX,
    // down to the 25 % target, within the oracle bound.
    let collateral: std::collections::BTreeMap<u32, u128> = node
        .storage(
            pallet_backstop::Collaterals::<Runtime>::hashed_key().to_vec(),
            done,
        )
        .unwrap_or_default();
    let stable: u128 = node
        .storage(
            pallet_backstop::StableReserve::<Runtime>::hashed_key().to_vec(),
            done,
        )
        .expect("the pool's stable");
    let eth_value = collateral.get(&ETH).copied().unwrap_or_default() * 2_500;
    assert!(
        eth_value * 100 <= (eth_value + stable) * 30,
        "the pool rebalanced: {eth_value} in ETH against {stable} USD"
    );
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}
