//! `sync` (docs/sync.md, issue 27) around a reproduction of the upstream `populate_lineage.py`
//! (`populate.py`: every row deleted and re-inserted one autocommitted statement at a time,
//! rows dropped, re-pointed, re-typed and added, a dataset renamed and one dropped) while an
//! API-like writer caches hot keys from the half-written tables with the API's TTLs, and
//! writes late, after the command ended. After `sync` every cached value must be what the
//! API computes now by the per-key SQL path (not the engine sync itself rewrites with), on
//! SQLite and PostgreSQL through ODBC, standalone Redis and a three-primary cluster; and the
//! keys it deleted or rewrote at most 1.5 times those that needed it (+ 10).
mod api;
mod cost;
mod edges;
mod faults;
mod populate;
mod random;
mod scenario;
mod world;

use crate::common::RedisCluster;
use world::{Db, Redis, World};

#[test]
fn a_populate_run_on_sqlite_leaves_every_cached_value_true() {
    scenario::populate_run(&World::standalone(Db::demo()));
}

#[test]
fn a_populate_run_on_a_cluster_leaves_every_cached_value_true() {
    let w = World::new(Redis::Cluster(RedisCluster::start()), Db::demo());
    scenario::populate_run(&w);
}

#[test]
fn a_populate_run_through_odbc_leaves_every_cached_value_true() {
    scenario::populate_run(&World::standalone(Db::postgres()));
}

#[test]
fn the_cost_is_that_of_the_change() {
    let w = World::standalone(Db::demo());
    w.warm();
    let c = scenario::cost(&w, 3, 3, &[]);
    eprintln!(
        "demo: touched {} of {} needed ({:.2}x) of {} cached; graphs {} of {}",
        c.touched,
        c.needed,
        c.touched as f64 / c.needed as f64,
        c.cached,
        c.touched_graphs,
        c.needed_graphs
    );
}

#[test]
fn a_failed_command_cleans_its_run_and_keeps_the_snapshot() {
    edges::failed_command(&World::standalone(Db::demo()));
}

#[test]
fn without_a_snapshot_every_value_is_judged() {
    edges::no_snapshot(&World::standalone(Db::demo()));
}

#[test]
fn dry_run_changes_nothing() {
    edges::dry_run(&World::standalone(Db::demo()));
}

#[test]
fn key_ages_end_where_keyspace_events_end() {
    edges::watch_off_is_events();
}

#[test]
fn random_warehouses_and_random_runs() {
    random::random_runs();
}

#[test]
fn ctrl_c_mid_clean_counts_exactly_and_the_next_sync_completes() {
    faults::ctrl_c_mid_clean();
}

#[test]
fn connection_cut_mid_clean_stops_with_exit_4_and_the_next_sync_completes() {
    faults::connection_cut_mid_clean();
}

#[test]
fn ctrl_c_during_the_command_reaches_it_and_stops_sync() {
    faults::a_signal_reaches_the_command(false);
}

#[test]
fn sigterm_to_sync_during_the_command_is_passed_on_and_stops_sync() {
    faults::a_signal_reaches_the_command(true);
}
