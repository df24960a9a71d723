//! `stats`: server health from `INFO` and the keyspace broken down by key kind (keys, bytes,
//! average and p50/p95/max size, TTL histogram), foreign keys counted apart.
//!
//! The whole keyspace is scanned ([`collect`]); values are never read. `--sample N`
//! still counts every key by name but measures only every k-th key of each group
//! (k = DBSIZE / N) and scales up. Memory stays flat: fixed-size histograms per group.
//!
//! In a Redis Cluster the server figures are every primary's `INFO` added up, with a
//! per-primary breakdown; the scan goes over every primary, and a scan during which slots
//! moved is run again (the report says so). An ACL user that may not size a key (a
//! read-only user limited to `ol:*` and a foreign key) still counts it; it is reported as
//! unsized.
use std::time::Duration;

use crate::app::report::export::render;
use crate::app::report::progress;
use crate::cli::{Format, StatsArgs};
use crate::config::Config;
use crate::jobs::Outcome;
use crate::store::Store;

mod agg;
mod collect;
mod prom;
mod render;
mod report;
mod server;

use collect::{collect, Conns};

/// The checked arguments.
struct Options {
    /// Measure about this many keys instead of every key.
    sample: Option<u64>,
    /// Report again after each interval until Ctrl-C.
    watch: Option<Duration>,
    format: Format,
}

impl Options {
    /// Clap checked the values (`--sample` at least 1, `--watch` longer than zero).
    fn of(args: &StatsArgs) -> Options {
        Options {
            sample: args.sample,
            watch: args.watch,
            format: args.format,
        }
    }
}

pub fn run(config: &Config, args: StatsArgs) -> anyhow::Result<Outcome> {
    let opts = Options::of(&args);
    let rt = crate::app::runtime::build()?;
    rt.block_on(async {
        let store = Store::connect(config).await?;
        let scan_conn = crate::app::connect::scan_connection(config, &store, true).await?;
        let conns = (&store, &scan_conn);
        match opts.watch {
            None => {
                let report = collect(conns, opts.sample, progress::visible(opts.format)).await?;
                crate::app::output::print(&render(opts.format, &report)?)?;
            }
            Some(every) => watch_loop(conns, &opts, every).await?,
        }
        Ok(Outcome::Complete)
    })
}

/// Print a report every `interval` until Ctrl-C (which ends the run successfully). On a
/// terminal, the table replaces the previous one; elsewhere reports follow each other.
async fn watch_loop(conns: Conns<'_>, opts: &Options, interval: Duration) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let clear = opts.format == Format::Table && std::io::stdout().is_terminal();
    let bar = progress::visible(opts.format);
    loop {
        let report = tokio::select! {
            r = collect(conns, opts.sample, bar) => r?,
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        let mut text = render(opts.format, &report)?;
        if clear {
            text = format!("\x1b[2J\x1b[H{text}");
        } else if opts.format == Format::Table {
            text.push('\n');
        }
        crate::app::output::print(&text)?;
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = tokio::signal::ctrl_c() => return Ok(()),
        }
    }
}
