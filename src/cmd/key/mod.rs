//! `key`: build, parse, or map an API URL to cache keys.
use crate::app::report::export::render;
use crate::cli::{KeyAction, KeyArgs};
use crate::config::Config;
use crate::jobs::Outcome;
use crate::keys::{parse, Key, Parsed};

mod build;
mod describe;

use describe::{Described, KeyReport, Lines, ESCAPED_ID_NOTE};

pub fn run(config: &Config, args: KeyArgs) -> anyhow::Result<Outcome> {
    let (format, report) = match args.action {
        KeyAction::Build(b) => {
            let key = build::build_key(&b)?;
            let text = key.build()?;
            let keys = vec![Described::new(&text, &Parsed::Key(key), config)];
            (b.format, report(keys, Lines::Keys))
        }
        KeyAction::Parse(p) => {
            let keys = p
                .keys
                .iter()
                .map(|k| Described::new(k, &parse(k), config))
                .collect();
            (p.format, report(keys, Lines::Described))
        }
        KeyAction::FromUrl(u) => (u.format, report(from_url(&u.url, config)?, Lines::Keys)),
    };
    crate::app::output::print(&render(format, &report)?)?;
    Ok(Outcome::Complete)
}

fn report(keys: Vec<Described>, lines: Lines) -> KeyReport {
    KeyReport { keys, lines }
}

/// The keys an API request reads, described; a note on stderr for an id-form request.
fn from_url(url: &str, config: &Config) -> anyhow::Result<Vec<Described>> {
    let routed = crate::route::route(url, &config.validation)?;
    if routed.escaped_slash() {
        eprintln!("lineage-cache: note: {ESCAPED_ID_NOTE}");
    }
    Ok(resolved(routed, config)?
        .into_iter()
        .map(|k| {
            let text = k.render();
            Described::new(&text, &Parsed::Key(k), config)
        })
        .collect())
}

/// The keys a routed request reads: for statistics and DDL, the last one under the id the
/// lineage source resolves the dataset parameter to, as the API's service does; without a
/// match the API answers 404 and reads no more (said in a note).
fn resolved(routed: crate::route::Routed, config: &Config) -> anyhow::Result<Vec<Key>> {
    let Some(param) = routed.resolves().map(str::to_string) else {
        return Ok(routed.with_id(None));
    };
    let source = crate::source::open(config)?;
    let dataset = source.dataset(&param)?;
    if dataset.is_none() && !routed.escaped_slash() {
        eprintln!(
            "lineage-cache: note: no dataset has the id or name {param:?} in the lineage source ({}): the API answers 404 and reads no statistics or DDL key",
            source.describe()
        );
    }
    Ok(routed.with_id(dataset.as_ref().map(|d| d.id.as_str())))
}
