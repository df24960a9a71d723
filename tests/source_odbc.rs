mod common;
use common::Postgres;
use lineage_cache::source::demo::{demo_sql, Dialect};
use lineage_cache::source::odbc::{OdbcOptions, OdbcSource};
use lineage_cache::source::LineageSource;

#[test]
fn explore() {
    let t = std::time::Instant::now();
    let pg = Postgres::start();
    eprintln!("started in {:?}", t.elapsed());
    pg.load_sql("lineage", &demo_sql(Dialect::Postgres, None, 42).unwrap());
    eprintln!("loaded in {:?}", t.elapsed());
    let src = OdbcSource::connect(&pg.odbc_connection_string(), OdbcOptions::default()).unwrap();
    eprintln!("{} {:?}", src.describe(), src.dialect());
    eprintln!("{:?}", src.namespaces().unwrap());
    let ds = src.all_datasets().unwrap();
    eprintln!(
        "{} datasets; {:?}",
        ds.len(),
        ds.iter().map(|d| &d.name).collect::<Vec<_>>()
    );
    let d = src.ddl("lab.WIDE_PARTITIONED").unwrap().unwrap();
    eprintln!("ddl {} {}", d.table_ddl.len(), d.truncated);
    eprintln!(
        "{:?}",
        src.lineage(
            "demo_user.RPT_EXEC_KPI",
            "total_revenue_eur_amt",
            lineage_cache::source::Direction::Upstream,
            2
        )
        .unwrap()
        .len()
    );
    eprintln!("done in {:?}", t.elapsed());
}
