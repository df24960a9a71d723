//! `invalidate`'s arguments turned into the job's checked options, before any connection.
use crate::cli::{Format, InvalidateArgs, PageLookup};
use crate::config::Config;
use crate::failure::bad_input;
use crate::jobs::stale::{Finding, Options, Pages};

/// The job's options: a selection that selects something, `--rate` above 0, a format
/// invalidate reports in, and no `--rewarm` with `--dry-run`.
pub(crate) fn options(config: &Config, args: &InvalidateArgs) -> anyhow::Result<Options> {
    let selection = crate::cmd::convert::selection(&args.selection, &config.validation)?
        .with_page_sizes(&args.page_sizes)?;
    if selection.is_empty() {
        return Err(bad_input(
            "nothing selected: give --all, --kind, --key, --pattern, --namespace, --dataset, --field, --touching, --changed-since or --keys-file",
        ));
    }
    if args.rate == Some(0) {
        return Err(bad_input("--rate must be above 0"));
    }
    if args.format == Format::Prometheus {
        return Err(bad_input(
            "--format prometheus does not apply to invalidate; use --metrics-file",
        ));
    }
    if args.rewarm && args.dry_run {
        return Err(bad_input("--rewarm writes values; for a preview use `warm --from-cache --dry-run` with the same selection"));
    }
    Ok(Options {
        selection,
        dry_run: args.dry_run,
        yes: args.yes,
        rate: args.rate,
        finding: Finding {
            scan: args.scan,
            pages: pages(args.pages),
        },
        list_keys: args.format == Format::Ndjson,
        delete_both: args.delete_both,
    })
}

fn pages(lookup: PageLookup) -> Pages {
    match lookup {
        PageLookup::Auto => Pages::Auto,
        PageLookup::Lookup => Pages::Lookup,
        PageLookup::Scan => Pages::Scan,
    }
}
