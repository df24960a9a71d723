//! The recursive lineage query: the API's SQL for one seed column and direction.
use super::{int, q, text, Dialect, Query, Statements, LINEAGE_COLUMNS, TERADATA_PATH};
use crate::source::Direction;

impl Statements {
    /// The recursive lineage query(ies) for one seed column; `both` is two queries whose
    /// results [`merge_hits`] unites. Depth 0 reaches nothing: no query.
    pub fn lineage(
        &self,
        dataset_name: &str,
        field: &str,
        direction: Direction,
        max_depth: u32,
    ) -> Vec<Query> {
        if max_depth == 0 {
            return vec![];
        }
        let dirs: &[bool] = match direction {
            Direction::Upstream => &[true],
            Direction::Downstream => &[false],
            Direction::Both => &[true, false],
        };
        dirs.iter()
            .map(|&up| {
                let params = vec![text(dataset_name), text(field), int(max_depth)];
                q(self.recursive(up), params)
            })
            .collect()
    }

    /// The text of the recursive query: upstream follows rows whose target is the current
    /// column and continues at their source; downstream the reverse.
    fn recursive(&self, upstream: bool) -> String {
        let (near, far) = if upstream {
            ("target", "source")
        } else {
            ("source", "target")
        };
        let cols = prefixed("l.");
        let PathSql {
            one,
            seed_path,
            step_path,
            seen,
        } = path_sql(self.dialect());
        let table = self.t("OL_COLUMN_LINEAGE");
        format!(
            "{lock}WITH RECURSIVE lin ({LINEAGE_COLUMNS}, depth, path) AS (\n\
             SELECT {cols}, {one}, {seed_path}\n\
             FROM {table} l\n\
             WHERE l.is_active = 'Y' AND l.{near}_dataset = ? AND l.{near}_field = ?\n\
             UNION ALL\n\
             SELECT {cols}, r.depth + 1, {step_path}\n\
             FROM lin r\n\
             INNER JOIN {table} l\n\
             ON l.{near}_dataset = r.{far}_dataset AND l.{near}_field = r.{far}_field\n\
             WHERE l.is_active = 'Y' AND r.depth < ? AND {seen}\n\
             )\n\
             SELECT {hcols}, h.depth\n\
             FROM (SELECT DISTINCT {LINEAGE_COLUMNS}, depth FROM lin) h\n\
             ORDER BY h.depth, h.lineage_id{bytes}",
            lock = self.lock(),
            hcols = prefixed("h."),
            bytes = self.bytes(),
        )
    }
}

/// The dialect's pieces of the recursive query: the first depth, the path of visited rows
/// (`,id,id,`) at the seed and at each step, and the test that a row is not on the path.
struct PathSql {
    one: String,
    seed_path: String,
    step_path: String,
    seen: &'static str,
}

fn path_sql(dialect: Dialect) -> PathSql {
    let (one, seed_path, step_path, seen) = match dialect {
        Dialect::Sqlite => (
            "1".to_string(),
            "',' || l.lineage_id || ','".to_string(),
            "r.path || l.lineage_id || ','".to_string(),
            "instr(r.path, ',' || l.lineage_id || ',') = 0",
        ),
        Dialect::Postgres => (
            "1".to_string(),
            "CAST(',' || l.lineage_id || ',' AS TEXT)".to_string(),
            "CAST(r.path || l.lineage_id || ',' AS TEXT)".to_string(),
            "POSITION(',' || l.lineage_id || ',' IN r.path) = 0",
        ),
        Dialect::Teradata => (
            "CAST(1 AS INTEGER)".to_string(),
            format!("CAST(',' || l.lineage_id || ',' AS {TERADATA_PATH})"),
            format!("CAST(r.path || l.lineage_id || ',' AS {TERADATA_PATH})"),
            "POSITION(',' || l.lineage_id || ',' IN r.path) = 0",
        ),
    };
    PathSql {
        one,
        seed_path,
        step_path,
        seen,
    }
}

/// `LINEAGE_COLUMNS` with every column prefixed (`l.lineage_id, l.source_namespace, …`).
fn prefixed(prefix: &str) -> String {
    LINEAGE_COLUMNS
        .split(", ")
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
